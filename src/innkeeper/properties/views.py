import hashlib
import re
from datetime import date

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..availability.services import MonthCalendar, month_calendar
from ..extensions import db
from ..reservations.errors import BookingError, NotFound
from ..reservations.forms import ReservationForm, StayForm
from ..reservations.services import Quote, get_published, quote
from ..web import page_or_fragment, render_block, wants_fragment
from .models import Property, local_today

bp = Blueprint("properties", __name__)

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def render_property(
    prop: Property,
    block: str,
    status: int = 200,
    *,
    calendar: MonthCalendar | None = None,
    form: ReservationForm | None = None,
    form_data=None,
    quote: Quote | None = None,
    quote_error: str | None = None,
):
    """The property page, or one of its blocks for htmx: calendar, quote or booking.

    Only what the answer shows is built: a calendar fragment makes no form, so it
    sets no session cookie.
    """
    whole_page = not wants_fragment()
    if calendar is None and (whole_page or block == "calendar"):
        today = prop.local_today()
        calendar = month_calendar(prop.id, today.replace(day=1), today)
    if form is None and (whole_page or block == "booking"):
        form = ReservationForm(formdata=form_data)
    return page_or_fragment(
        "properties/show.html",
        block,
        status,
        prop=prop,
        calendar=calendar,
        form=form,
        quote=quote,
        quote_error=quote_error,
    )


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
    if wants_fragment():
        return _calendar_fragment(slug)
    prop = get_published(slug)
    today = prop.local_today()
    first = _parse_month(request.args.get("month")) or today.replace(day=1)
    return render_property(prop, "calendar", calendar=month_calendar(prop.id, first, today))


def _calendar_fragment(slug: str):
    """The calendar block, rendered once per state of availability and reused.

    Its key holds all it shows: the property, the month, the property's today, the
    locale and the availability version that the database bumps with every change of
    nights. The same key is the ETag, so a browser that has it gets a 304.
    """
    row = db.session.execute(
        select(Property.id, Property.timezone, Property.availability_version).filter_by(
            slug=slug, published=True
        )
    ).one_or_none()
    if row is None:
        raise NotFound("property_not_found")
    today = local_today(row.timezone)
    first = _parse_month(request.args.get("month")) or today.replace(day=1)
    key = (row.id, slug, first, today, row.availability_version, str(get_locale()))
    cache = current_app.extensions["innkeeper.calendar_cache"]
    etag = hashlib.sha256(f"{cache.revision}:{key}".encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    elif (html := cache.get(key)) is not None:
        response = make_response(html)
    else:
        html = render_block(
            "properties/show.html",
            "calendar",
            prop=get_published(slug),
            calendar=month_calendar(row.id, first, today),
        )
        cache.put(key, html)
        response = make_response(html)
    response.set_etag(etag)
    response.vary.add("HX-Request")
    response.cache_control.no_cache = True
    return response


@bp.get("/properties/<slug>/quote")
def quote_stay(slug: str):
    """The price of a stay; 422 when the request breaks a rule, 409 when nights are taken."""
    prop = get_published(slug)
    stay_form = StayForm(formdata=request.args)
    if not stay_form.validate_for(prop):
        message = " ".join(stay_form.messages())
        return render_property(prop, "quote", 422, form_data=request.args, quote_error=message)
    try:
        offer = quote(prop, stay_form.stay())
    except BookingError as error:
        return render_property(
            prop, "quote", error.status, form_data=request.args, quote_error=error.message
        )
    return render_property(prop, "quote", form_data=request.args, quote=offer)


def _parse_month(value: str | None) -> date | None:
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        abort(422, _("Choose a month as YYYY-MM, for example %(example)s.", example="2027-01"))
    return date(int(match[1]), int(match[2]), 1)
