"""How a place describes itself to search engines: schema.org's VacationRental, as JSON-LD."""

from ..web import external_url
from .models import Property


def structured_data(prop: Property, image_urls: list[str]) -> dict:
    """The place as schema.org reads it; the street address is for booked guests only."""
    low, high = sorted([prop.nightly_rate, prop.weekend_rate], key=lambda rate: rate.minor)
    data = {
        "@context": "https://schema.org",
        "@type": "VacationRental",
        "name": prop.name,
        "description": prop.description,
        "url": external_url("reservations.property_page", slug=prop.slug),
        "checkinTime": prop.check_in_time.strftime("%H:%M"),
        "checkoutTime": prop.check_out_time.strftime("%H:%M"),
        "priceRange": f"{low.currency} {low}" + ("" if low == high else f"-{high}"),
        "containsPlace": {
            "@type": "Accommodation",
            "occupancy": {"@type": "QuantitativeValue", "maxValue": prop.max_guests},
            "amenityFeature": [
                {"@type": "LocationFeatureSpecification", "name": label, "value": True}
                for _, label in prop.amenity_labels
            ],
        },
    }
    if image_urls:
        data["image"] = image_urls
    if prop.area:
        data["address"] = {"@type": "PostalAddress", "addressLocality": prop.area}
    return data
