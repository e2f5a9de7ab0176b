"""The demo properties that `flask demo` loads."""

from datetime import time

from sqlalchemy import select

from .database import write_transaction
from .demo_pictures import draw
from .photos.services import stored_photo
from .properties.models import Property, Translation

DEMO_PROPERTIES = [
    {
        "slug": "seashell-house",
        "name": "Seashell House",
        "description": (
            "A bright two-bedroom house a short walk from the beach, with a shaded porch, "
            "a kitchen for long breakfasts and outdoor showers for sandy feet."
        ),
        "photos": [
            ("seashell-house", "Seashell House seen from the beach, between two palm trees"),
            ("seashell-porch", "The shaded porch with two hammocks facing the sea"),
            ("seashell-bedroom", "The main bedroom: a double bed and a window on the sea"),
            ("seashell-beach", "The beach in front of the house at sunset, with two loungers"),
        ],
        "currency": "USD",
        "timezone": "America/Cancun",
        "nightly_rate_minor": 12000,
        "weekend_rate_minor": 15000,
        "cleaning_fee_minor": 4000,
        "min_nights": 2,
        "max_guests": 4,
        "area": "Tulum, Quintana Roo, Mexico",
        "address": "Calle Caracol 12\nTulum, Q.R. 77780\nMexico",
        "amenities": [
            "wifi",
            "kitchen",
            "parking",
            "washer",
            "air_conditioning",
            "garden",
            "bbq",
            "sea_view",
            "crib",
        ],
        "amenities_note": "Beach towels, two loungers and a parasol wait in the shed.",
        "house_rules": (
            "No smoking indoors.\n"
            "Quiet after 10 pm: the neighbours go to bed early.\n"
            "No parties or events.\n"
            "Rinse the sand off at the outdoor shower before coming in."
        ),
        "check_in_time": time(16),
        "check_out_time": time(11),
        "host_contact": "Marisol, your host: +52 984 555 0142 (call or WhatsApp, 8 am to 9 pm)",
        "arrival_instructions": (
            "The gate code is 4512; the key waits in the little box on the left of the door.\n"
            "Park under the palm tree. Marisol lives next door if anything is missing."
        ),
        # The name stays as the host gave it, in every language.
        "translations": {
            "es": {
                "description": (
                    "Una casa luminosa de dos dormitorios a un paseo corto de la playa, con un"
                    " porche a la sombra, una cocina para desayunos largos y duchas al aire"
                    " libre para los pies con arena."
                ),
                "amenities_note": (
                    "Toallas de playa, dos tumbonas y una sombrilla esperan en el cobertizo."
                ),
                "house_rules": (
                    "No se fuma dentro de la casa.\n"
                    "Silencio a partir de las 22:00: los vecinos se acuestan temprano.\n"
                    "Ni fiestas ni eventos.\n"
                    "Quítate la arena en la ducha de fuera antes de entrar."
                ),
                "arrival_instructions": (
                    "El código de la verja es 4512; la llave espera en la cajita a la izquierda"
                    " de la puerta.\nAparca bajo la palmera. Marisol vive al lado por si falta"
                    " algo."
                ),
            }
        },
    },
    {
        "slug": "lighthouse-loft",
        "name": "Lighthouse Loft",
        "description": (
            "A loft for two under the roof of an old harbour house, with a view of the "
            "lighthouse and the river mouth."
        ),
        "photos": [
            ("lighthouse-window", "The loft window facing the lighthouse and the river mouth"),
            ("lighthouse-living", "The living room under the roof beams, with a sofa and books"),
            ("lighthouse-dusk", "The lighthouse and the old town's lit windows at dusk"),
        ],
        "currency": "EUR",
        "timezone": "Europe/Lisbon",
        "nightly_rate_minor": 8500,
        "weekend_rate_minor": 8500,
        "cleaning_fee_minor": 0,
        "min_nights": 1,
        "max_guests": 2,
        "area": "Foz do Douro, Porto, Portugal",
        "address": "Rua do Farol 3, 3rd floor\n4150-364 Porto\nPortugal",
        "amenities": ["wifi", "kitchen", "heating", "workspace", "tv", "sea_view"],
        "house_rules": (
            "No smoking.\nThe loft is up three flights of stairs, with no lift.\nNo pets, sorry."
        ),
        "check_in_time": time(15),
        "check_out_time": time(11),
        "host_contact": "João, your host: +351 912 555 018, or ask at the café downstairs",
        "arrival_instructions": (
            "Ring João at the café downstairs (open 8:00 to 20:00) for the keys.\n"
            "Arriving later? The key box by the street door opens with 1907."
        ),
        "translations": {
            "es": {
                "description": (
                    "Una buhardilla para dos bajo el tejado de una vieja casa del puerto, con"
                    " vistas al faro y a la desembocadura del río."
                ),
                "house_rules": (
                    "No se fuma.\nSe sube por tres tramos de escalera, sin ascensor.\n"
                    "No se admiten mascotas, lo sentimos."
                ),
                "arrival_instructions": (
                    "Pide las llaves a João en el café de abajo (abierto de 8:00 a 20:00).\n"
                    "¿Llegas más tarde? La caja de llaves junto al portal se abre con 1907."
                ),
            }
        },
    },
]


def load_demo(*, only_if_empty: bool = False) -> list[str]:
    """Add the demo properties that are missing; returns the slugs added."""
    added = []
    with write_transaction() as session:
        if only_if_empty and session.scalar(select(Property.id).limit(1)) is not None:
            return added
        existing = set(session.scalars(select(Property.slug)))
        for values in DEMO_PROPERTIES:
            if values["slug"] not in existing:
                values = dict(values)
                photos = [
                    stored_photo(draw(name), alt, position)
                    for position, (name, alt) in enumerate(values.pop("photos"))
                ]
                translations = {
                    locale: Translation(locale=locale, **texts)
                    for locale, texts in values.pop("translations").items()
                }
                session.add(Property(**values, photos=photos, translations=translations))
                added.append(values["slug"])
    return added
