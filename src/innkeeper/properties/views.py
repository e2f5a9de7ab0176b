import re
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..availability.services import month_calendar
from ..extensions import db
from ..reservations.errors import BookingError
from ..reservations.forms import ReservationForm, StayForm
from ..reservations.services import get_published, quote
from ..web import page_or_fragment
from .models import Property

bp = Blueprint("properties", __name__)

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def render_property(prop: Property, block: str, status: int = 200, **context):
    """The property page, or one of its blocks for htmx: calendar, quote or booking."""
    context.setdefault(
        "calendar", month_calendar(prop.id, prop.local_today().replace(day=1), prop.local_today())
    )
    context.setdefault("form", ReservationForm(formdata=None))
    context.setdefault("quote", None)
    context.setdefault("quote_error", None)
    return page_or_fragment("properties/show.html", block, status, prop=prop, **context)


@bp.get("/")
def index():
    """Every published property, each linking to its page."""
    properties = db.session.scalars(
        select(Property).filter_by(published=True).order_by(Property.name)
    ).all()
    return render_template("properties/index.html", properties=properties)


@bp.get("/properties/<slug>")
def show(slug: str):
    """The property page with this month's calendar and an empty booking form."""
    return render_property(get_published(slug), "content")


@bp.get("/properties/<slug>/calendar")
def calendar(slug: str):
    """One month's availability; ?month=YYYY-MM, this month by default."""
    prop = get_published(slug)
    today = prop.local_today()
    first = _parse_month(request.args.get("month")) or today.replace(day=1)
    return render_property(prop, "calendar", calendar=month_calendar(prop.id, first, today))


@bp.get("/properties/<slug>/quote")
def quote_stay(slug: str):
    """The price of a stay; 422 when the request breaks a rule, 409 when nights are taken."""
    prop = get_published(slug)
    stay_form = StayForm(formdata=request.args)
    form = ReservationForm(formdata=request.args)
    if not stay_form.validate_for(prop):
        return render_property(
            prop, "quote", 422, form=form, quote_error=" ".join(stay_form.messages())
        )
    try:
        offer = quote(prop, stay_form.stay())
    except BookingError as error:
        return render_property(prop, "quote", error.status, form=form, quote_error=error.message)
    return render_property(prop, "quote", form=form, quote=offer)


def _parse_month(value: str | None) -> date | None:
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        abort(422, _("Choose a month as YYYY-MM, for example %(example)s.", example="2027-01"))
    return date(int(match[1]), int(match[2]), 1)
