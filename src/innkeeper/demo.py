"""The demo properties that `flask demo` loads."""

from sqlalchemy import select

from .database import write_transaction
from .photos.models import Photo
from .properties.models import Property

# The demo's pictures are drawings shipped in the static folder, shown as they are.
DEMO_PICTURE_SIZE = (640, 400)

DEMO_PROPERTIES = [
    {
        "slug": "seashell-house",
        "name": "Seashell House",
        "description": (
            "A bright two-bedroom house a short walk from the beach, with a shaded porch, "
            "a kitchen for long breakfasts and outdoor showers for sandy feet."
        ),
        "photos": [
            {"src": "photos/seashell-house.svg", "alt": "Seashell House seen from the beach"},
            {"src": "photos/seashell-porch.svg", "alt": "The porch with two hammocks"},
        ],
        "currency": "USD",
        "timezone": "America/Cancun",
        "nightly_rate_minor": 12000,
        "weekend_rate_minor": 15000,
        "cleaning_fee_minor": 4000,
        "min_nights": 2,
        "max_guests": 4,
    },
    {
        "slug": "lighthouse-loft",
        "name": "Lighthouse Loft",
        "description": (
            "A loft for two under the roof of an old harbour house, with a view of the "
            "lighthouse and the river mouth."
        ),
        "photos": [
            {"src": "photos/lighthouse-loft.svg", "alt": "The loft window facing the lighthouse"},
        ],
        "currency": "EUR",
        "timezone": "Europe/Lisbon",
        "nightly_rate_minor": 8500,
        "weekend_rate_minor": 8500,
        "cleaning_fee_minor": 0,
        "min_nights": 1,
        "max_guests": 2,
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
                width, height = DEMO_PICTURE_SIZE
                photos = [
                    Photo(position=i, static_src=p["src"], alt=p["alt"], width=width, height=height)
                    for i, p in enumerate(values.pop("photos"))
                ]
                session.add(Property(**values, photos=photos))
                added.append(values["slug"])
    return added
