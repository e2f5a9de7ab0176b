from flask import Blueprint
from sqlalchemy import select

from ..extensions import db
from ..web import page_or_fragment
from .models import Property

bp = Blueprint("properties", __name__)


@bp.get("/")
def index():
    """Every published property, each linking to its page."""
    properties = db.session.scalars(
        select(Property).filter_by(published=True).order_by(Property.name)
    ).all()
    return page_or_fragment("properties/index.html", "content", properties=properties)
