"""How a place describes itself to search engines, as schema.org JSON-LD: a VacationRental,
or a LodgingBusiness listing its units (the rooms of an inn)."""

from ..web import external_url
from .models import Property


def _page_url(prop: Property) -> str:
    return external_url("reservations.property_page", slug=prop.slug)


def _price_range(rates) -> str:
    low, high = min(rates, key=lambda r: r.minor), max(rates, key=lambda r: r.minor)
    return f"{low.currency} {low}" + ("" if low == high else f"-{high}")


def _accommodation(prop: Property, kind: str) -> dict:
    return {
        "@type": kind,
        "occupancy": {"@type": "QuantitativeValue", "maxValue": prop.max_guests},
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": label, "value": True}
            for _, label in prop.amenity_labels
        ],
    }


def structured_data(prop: Property, image_urls: list[str]) -> dict:
    """The place as schema.org reads it; the street address is for booked guests only."""
    listing = prop.listing
    data = {
        "@context": "https://schema.org",
        "@type": "VacationRental",
        "name": listing.name,
        "description": listing.description,
        "url": _page_url(prop),
        "checkinTime": prop.check_in_time.strftime("%H:%M"),
        "checkoutTime": prop.check_out_time.strftime("%H:%M"),
        "priceRange": _price_range([prop.nightly_rate, prop.weekend_rate]),
        "containsPlace": _accommodation(prop, "Accommodation"),
    }
    if prop.has_units:
        units = prop.published_units
        data["@type"] = "LodgingBusiness"
        data["containsPlace"] = [
            {**_accommodation(unit, "HotelRoom"), "name": unit.listing.name, "url": _page_url(unit)}
            for unit in units
        ]
        lowest = prop.lowest_unit_rate
        if lowest is None:
            del data["priceRange"]
        else:
            data["priceRange"] = _price_range(
                [
                    rate
                    for unit in units
                    for rate in (unit.nightly_rate, unit.weekend_rate)
                    if rate.currency == lowest.currency
                ]
            )
    elif prop.parent is not None and prop.parent.published:
        data["containedInPlace"] = {
            "@type": "LodgingBusiness",
            "name": prop.parent.listing.name,
            "url": _page_url(prop.parent),
        }
    if image_urls:
        data["image"] = image_urls
    if prop.area:
        data["address"] = {"@type": "PostalAddress", "addressLocality": prop.area}
    return data
