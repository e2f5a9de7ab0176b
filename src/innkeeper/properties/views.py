import hashlib
import re
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import bindparam, select

from ..availability.services import month_calendar
from ..extensions import db
from ..reservations.errors import BookingError, NotFound
from ..reservations.forms import ReservationForm, StayForm
from ..reservations.services import Quote, quote
from ..web import page_or_fragment, wants_fragment
from .models import Property, local_today
from .services import get_published

bp = Blueprint("properties", __name__)

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
# What the cached calendar depends on, read on every request: built once, run as Core.
CALENDAR_KEY = select(Property.id, Property.timezone, Property.availability_version).where(
    Property.slug == bindparam("slug"), Property.published.is_(True)
)


@dataclass(frozen=True)
class CalendarMonth:
    """One month of a property's availability, rendered once per state and reused.

    Its key holds all the calendar shows: the property, the month, the property's
    today, the locale and the availability version that the database bumps with every
    change of nights. The key also makes the ETag.
    """

    property_id: int
    slug: str
    version: int
    first: date
    today: date

    def _key(self) -> tuple:
        locale = str(get_locale())
        return (self.property_id, self.slug, self.first, self.today, self.version, locale)

    @property
    def etag(self) -> str:
        revision = current_app.extensions["innkeeper.calendar_cache"].revision
        return hashlib.sha256(f"{revision}:{self._key()}".encode()).hexdigest()[:32]

    def html(self) -> Markup:
        cache = current_app.extensions["innkeeper.calendar_cache"]
        key = self._key()
        html = cache.get(key)
        if html is None:
            calendar = month_calendar(self.property_id, self.first, self.today)
            html = render_template("properties/_calendar.html", slug=self.slug, calendar=calendar)
            cache.put(key, html)
        return Markup(html)  # our own template output, already escaped


def render_property(
    prop: Property,
    block: str,
    status: int = 200,
    *,
    month: date | None = None,
    form: ReservationForm | None = None,
    form_data=None,
    quote: Quote | None = None,
    quote_error: str | None = None,
):
    """The property page, or one of its blocks for htmx: quote or booking.

    Only what the answer shows is built: a quote fragment makes no form, so it sets no
    session cookie.
    """
    whole_page = not wants_fragment() or block == "content"
    calendar_html = None
    if whole_page:
        today = prop.local_today()
        first = month or today.replace(day=1)
        calendar_html = CalendarMonth(
            prop.id, prop.slug, prop.availability_version, first, today
        ).html()
    if form is None and (whole_page or block == "booking"):
        form = ReservationForm(formdata=form_data)
    return page_or_fragment(
        "properties/show.html",
        block,
        status,
        prop=prop,
        calendar_html=calendar_html,
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
    return page_or_fragment("properties/index.html", "content", properties=properties)


@bp.get("/properties/<slug>")
def show(slug: str):
    """The property page with this month's calendar and an empty booking form."""
    return render_property(get_published(slug), "content")


@bp.get("/properties/<slug>/calendar")
def calendar(slug: str):
    """One month's availability, ?month=YYYY-MM (this month by default); 304 if unchanged."""
    if not wants_fragment():
        prop = get_published(slug)
        return render_property(prop, "calendar", month=_parse_month(request.args.get("month")))
    row = db.session.connection().execute(CALENDAR_KEY, {"slug": slug}).one_or_none()
    if row is None:
        raise NotFound("property_not_found")
    today = local_today(row.timezone)
    first = _parse_month(request.args.get("month")) or today.replace(day=1)
    month = CalendarMonth(row.id, slug, row.availability_version, first, today)
    etag = month.etag
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(month.html())
    response.set_etag(etag)
    response.vary.add("HX-Request")
    response.cache_control.no_cache = True
    return response


@bp.route("/properties/<slug>/quote", methods=["GET", "POST"])
def quote_stay(slug: str):
    """The price of a stay; 422 when the request breaks a rule, 409 when nights are taken.

    The page's "Show the price" button posts the whole booking form here when
    JavaScript is off, so the guest's details stay in the form and out of the URL.
    """
    prop = get_published(slug)
    values = request.form if request.method == "POST" else request.args
    stay_form = StayForm(formdata=values)
    if not stay_form.validate():
        message = " ".join(str(m) for field in stay_form for m in field.errors)
        return render_property(prop, "quote", 422, form_data=values, quote_error=message)
    try:
        offer = quote(prop, stay_form.stay())
    except BookingError as error:
        return render_property(
            prop, "quote", error.status, form_data=values, quote_error=error.message
        )
    return render_property(prop, "quote", form_data=values, quote=offer)


def _parse_month(value: str | None) -> date | None:
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        abort(422, _("Choose a month as YYYY-MM, for example %(example)s.", example="2027-01"))
    return date(int(match[1]), int(match[2]), 1)
