from sqlalchemy import select

from ..exceptions import NotFound
from ..extensions import db
from .models import Property


def get_published(slug: str) -> Property:
    """The published property with this slug; NotFound (404) otherwise."""
    prop = db.session.scalar(select(Property).filter_by(slug=slug, published=True))
    if prop is None:
        raise NotFound("property_not_found")
    return prop
