"""The guest's booking flow: the place's page, its calendar and quote, booking, the stay."""

import hashlib
from dataclasses import dataclass
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict

from ..availability.month import CalendarMonth, parse_month
from ..availability.services import BookableNights, NightTerms
from ..clock import today_in
from ..database import Busy
from ..errors import render_error
from ..exceptions import (
    BookedByUnit,
    DatesUnavailable,
    InnkeeperError,
    InvalidFields,
    InvalidStay,
    NotFound,
    describe,
)
from ..extensions import db, limiter
from ..forms import add_field_errors
from ..pricing.models import Season
from ..pricing.services import Quote, nightly_rates, season_min_nights
from ..properties.models import Property
from ..properties.services import get_published, refuse_booked_by_unit
from ..ratelimit import from_this_machine
from ..security import embeddable
from ..submissions import earlier_result
from ..web import external_url, no_store, page_or_fragment, see_other, wants_fragment
from . import services
from .forms import CancelForm, FindBookingForm, ReservationForm, StayForm
from .hooks import details_of
from .ics import stay_calendar as stay_calendar_file
from .models import CancelledBy, Reservation

bp = Blueprint("reservations", __name__)

# How many of its latest bookings a browser's session remembers (see _booked_before).
REMEMBERED_BOOKINGS = 5

_unit = aliased(Property)

# What the cached calendar depends on, read on every request: built once, run as Core.
# One row per season of the place (one with empty season columns when it has none): the
# rates, seasons and stay lengths the cells show are in the cache key as values, so any
# change of them, by whichever writer, is a new key and a new ETag.
CALENDAR_KEY = (
    select(
        Property.id,
        Property.timezone,
        Property.availability_version,
        Property.advance_notice_days,
        Property.booking_horizon_days,
        Property.preparation_days,
        Property.currency,
        Property.nightly_rate_minor,
        Property.weekend_rate_minor,
        Property.min_nights,
        Property.max_nights,
        Season.start_date,
        Season.end_date,
        Season.nightly_rate_minor.label("season_nightly_rate_minor"),
        Season.weekend_rate_minor.label("season_weekend_rate_minor"),
        Season.min_nights.label("season_min_nights"),
        exists()
        .where(_unit.parent_id == Property.id, _unit.deleted_at.is_(None))
        .label("has_units"),
    )
    .outerjoin(Season, Season.property_id == Property.id)
    .where(Property.slug == bindparam("slug"), Property.published.is_(True))
    .order_by(Season.start_date)
)

# The fields of a stay that links may carry: never the guest's name, e-mail or phone.
STAY_FIELDS = ("check_in", "check_out", "guests", "coupon")


def _terms_key(rates: tuple, seasons) -> tuple:
    return (*rates, tuple(sorted(seasons)))


def terms_key_of(prop: Property) -> tuple:
    """The calendar's rates and rules, as the key of its cached HTML."""
    return _terms_key(
        (
            prop.currency,
            prop.nightly_rate_minor,
            prop.weekend_rate_minor,
            prop.min_nights,
            prop.max_nights,
        ),
        (
            (s.start_date, s.end_date, s.nightly_rate_minor, s.weekend_rate_minor, s.min_nights)
            for s in prop.seasons
        ),
    )


def _terms_key_of_rows(rows) -> tuple:
    """terms_key_of(), from the rows of CALENDAR_KEY."""
    row = rows[0]
    return _terms_key(
        (
            row.currency,
            row.nightly_rate_minor,
            row.weekend_rate_minor,
            row.min_nights,
            row.max_nights,
        ),
        (
            (
                r.start_date,
                r.end_date,
                r.season_nightly_rate_minor,
                r.season_weekend_rate_minor,
                r.season_min_nights,
            )
            for r in rows
            if r.start_date is not None
        ),
    )


def night_terms(prop: Property):
    """The rates and stay lengths of the nights of [start, end), for the calendar's cells."""

    def terms(start: date, end: date) -> NightTerms:
        return NightTerms(
            rates=nightly_rates(prop, start, end),
            min_nights=prop.min_nights,
            max_nights=prop.max_nights,
            season_min_nights=season_min_nights(prop, start, end),
        )

    return terms


def calendar_html(prop: Property, month: date | None, view: str = "page"):
    today = prop.local_today()
    first = month or today.replace(day=1)
    calendar = CalendarMonth(
        prop.id,
        prop.slug,
        prop.availability_version,
        first,
        BookableNights.of(prop, today),
        terms_key_of(prop),
        view,
    )
    return calendar.html(night_terms(prop))


def stay_values(source) -> MultiDict:
    """The stay fields a link or a widget carries, and nothing else."""
    return MultiDict([(name, source[name]) for name in STAY_FIELDS if source.get(name)])


def month_of_stay(values) -> date | None:
    """The month of the check-in a link carries, to open the calendar there."""
    try:
        return date.fromisoformat(values.get("check_in", "")).replace(day=1)
    except ValueError:
        return None


def price_of(prop: Property, values) -> tuple[int, Quote | None, str | None]:
    """(status, quote, message) for the stay the values describe."""
    stay_form = StayForm(formdata=values)
    if not stay_form.validate():
        return 422, None, " ".join(str(m) for field in stay_form for m in field.errors)
    try:
        return 200, services.quote(prop, stay_form.stay(), stay_form.coupon.data or ""), None
    except InnkeeperError as error:
        return error.status, None, error.message


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
    calendar = None
    if whole_page:
        calendar = calendar_html(prop, month)
    if form is None and (whole_page or block == "booking"):
        form = ReservationForm(formdata=form_data)
    return page_or_fragment(
        "reservations/property.html",
        block,
        status,
        prop=prop,
        calendar_html=calendar,
        form=form,
        quote=quote,
        quote_error=quote_error,
    )


def bookable_place(slug: str) -> Property:
    """The published place with this slug, if guests book it as a whole (not by unit)."""
    prop = get_published(slug)
    refuse_booked_by_unit(prop)
    return prop


@bp.app_errorhandler(BookedByUnit)
def choose_a_unit(error: BookedByUnit):
    """A link to a place's calendar, price or widget, once the place has units, leads to its
    page, where the guest chooses a unit for the same stay; anything else is refused."""
    slug = (request.view_args or {}).get("slug")
    if slug and request.method == "GET" and not wants_fragment():
        values = stay_values(request.args)
        return redirect(url_for("reservations.property_page", slug=slug, **values), 303)
    return render_error(409, error.message, title=describe("booked_by_unit_title"))


@dataclass(frozen=True)
class UnitOffer:
    """A unit for the stay a guest asks about: its price when it is free, else why not."""

    unit: Property
    quote: Quote | None = None
    problem: str | None = None


def offers_for(units: list[Property], stay) -> tuple[list[UnitOffer], dict[str, list[str]]]:
    """Each unit judged by the one quote(), as its own quote URL judges it, the free ones
    first; and the faults every unit finds alike in the stay (dates past or out of order),
    which are the form's own."""
    offers: list[UnitOffer] = []
    shared: dict[str, list[str]] | None = None
    for unit in units:
        try:
            offers.append(UnitOffer(unit, quote=services.quote(unit, stay)))
            shared = {}
        except InvalidStay as error:
            offers.append(UnitOffer(unit, problem=error.message))
            faults = error.fields if shared is None else shared
            shared = {
                field: [m for m in messages if m in error.fields.get(field, [])]
                for field, messages in faults.items()
            }
        except DatesUnavailable as error:
            offers.append(UnitOffer(unit, problem=error.message))
            shared = {}
    offers.sort(key=lambda offer: offer.quote is None)
    return offers, {field: messages for field, messages in (shared or {}).items() if messages}


def place_page(place: Property):
    """A place with units: its description and photos, and each published unit, with, for
    the stay the dates form asks about, whether it is free and its price; 422 with the
    messages beside the fields when the dates themselves are wrong."""
    units = place.published_units
    values = stay_values(request.args)
    form = StayForm(formdata=values or None)
    offers = None
    status = 200
    if values.get("check_in") or values.get("check_out"):
        if form.validate():
            offers, faults = offers_for(units, form.stay())
            if faults:
                add_field_errors(form, faults)
                offers = None
        if form.errors:
            status = 422
    return page_or_fragment(
        "reservations/place.html",
        "units",
        status,
        prop=place,
        units=units,
        form=form,
        offers=offers,
    )


@bp.get("/properties/<slug>")
def property_page(slug: str):
    """The property page: the calendar (?month=YYYY-MM, else the check-in's month, else
    this one) and the booking form, filled with the stay fields a link carries
    (check_in, check_out, guests, coupon: the widget's), with their price. A place with
    units lists them instead (see place_page)."""
    prop = get_published(slug)
    if prop.has_units:
        return place_page(prop)
    values = stay_values(request.args)
    quote = quote_error = None
    if values.get("check_in") and values.get("check_out"):
        _status, quote, quote_error = price_of(prop, values)
    month = parse_month(request.args.get("month")) or month_of_stay(values)
    return render_property(
        prop,
        "content",
        month=month,
        form_data=values or None,
        quote=quote,
        quote_error=quote_error,
    )


@bp.post("/properties/<slug>/month")
def turn_month(slug: str):
    """Without JavaScript the calendar's month buttons post the booking form here: the page
    comes back at that month with every field the guest typed, none of them in a URL."""
    prop = bookable_place(slug)
    month = parse_month(request.form.get("month"))
    return render_property(prop, "content", month=month, form_data=request.form)


@bp.get("/properties/<slug>/embed")
@embeddable
def embed(slug: str):
    """The booking widget for the host's own site, framed only by EMBED_ALLOWED_ORIGINS.

    A framed page gets no session cookie (SameSite=Lax), so nothing here needs one: the
    price comes by GET, and the guest finishes booking on the property page, in a new tab.
    """
    prop = bookable_place(slug)
    values = stay_values(request.args)
    quote = quote_error = None
    if values.get("check_in") and values.get("check_out"):
        _status, quote, quote_error = price_of(prop, values)
    month = parse_month(request.args.get("month")) or month_of_stay(values)
    return page_or_fragment(
        "reservations/embed.html",
        "content",
        prop=prop,
        calendar_html=calendar_html(prop, month, "embed"),
        form=StayForm(formdata=values),
        quote=quote,
        quote_error=quote_error,
    )


@bp.get("/properties/<slug>/calendar")
def calendar(slug: str):
    """Months of availability from ?month=YYYY-MM (this month by default), with each
    night's rate; ?view=embed for the widget; 304 if unchanged."""
    view = "embed" if request.args.get("view") == "embed" else "page"
    if not wants_fragment():
        if view == "embed":
            return embed(slug)
        prop = bookable_place(slug)
        return render_property(prop, "calendar", month=parse_month(request.args.get("month")))
    rows = db.session.connection().execute(CALENDAR_KEY, {"slug": slug}).all()
    if not rows:
        raise NotFound("property_not_found")
    row = rows[0]
    if row.has_units:
        raise BookedByUnit("booked_by_unit", name=db.session.get(Property, row.id).name)
    today = today_in(row.timezone)
    first = parse_month(request.args.get("month")) or today.replace(day=1)
    bookable = BookableNights.under(
        today, row.advance_notice_days, row.booking_horizon_days, row.preparation_days
    )
    month = CalendarMonth(
        row.id, slug, row.availability_version, first, bookable, _terms_key_of_rows(rows), view
    )
    etag = month.etag
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:

        def terms(start: date, end: date) -> NightTerms:
            return night_terms(db.session.get(Property, row.id))(start, end)

        response = make_response(month.html(terms))
    response.set_etag(etag)
    response.vary.add("HX-Request")
    response.cache_control.no_cache = True
    return response


def _booked(response) -> bool:
    """A new booking, which counts against the address's limit; the same one again does not."""
    if g.get("booked_before"):
        return False
    return response.status_code == 303 or "HX-Redirect" in response.headers


@bp.route("/properties/<slug>/quote", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["QUOTE_RATE_LIMIT"], exempt_when=from_this_machine)
def quote(slug: str):
    """The price of a stay; 422 when the request breaks a rule, 409 when nights are taken.

    The page's "Show the price" button posts the whole booking form here when
    JavaScript is off, so the guest's details stay in the form and out of the URL.
    """
    prop = bookable_place(slug)
    values = request.form if request.method == "POST" else request.args
    status, offer, message = price_of(prop, values)
    return render_property(
        prop, "quote", status, form_data=values, quote=offer, quote_error=message
    )


@bp.post("/properties/<slug>/reservations")
@limiter.limit(
    lambda: current_app.config["BOOKING_RATE_LIMIT"],
    exempt_when=from_this_machine,
    deduct_when=_booked,
)
def create(slug: str):
    """Book a stay: 303 to the guest's page; 422 with messages; 409 when nights are taken.

    Each client address makes at most BOOKING_RATE_LIMIT bookings (429 after that).
    """
    prop = bookable_place(slug)
    form = ReservationForm()
    key = form.posted_key()
    if earlier := _booked_with(key):
        return earlier
    if not form.validate_for(prop):
        return render_property(prop, "booking", 422, form=form)
    # Forms of our own pages carry a key; scripts that send none book as they always did.
    if key and (earlier := _booked_before(prop, form)):
        return earlier
    try:
        reservation = services.reserve(
            prop, form.stay(), form.guest(), submission_key=key, coupon=form.coupon.data or ""
        )
    except IntegrityError:
        # The same form, sent twice at once: the other submission booked.
        if earlier := _booked_with(key):
            return earlier
        raise
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return render_property(prop, "booking", 422, form=form)
    except DatesUnavailable as error:
        return render_property(prop, "booking", 409, form=form, quote_error=error.message)
    except Busy:
        response = render_property(prop, "booking", 503, form=form, quote_error=describe("busy"))
        response.headers["Retry-After"] = str(Busy.retry_after_seconds)
        return response
    _remember(prop, form, reservation)
    return _guest_page(reservation)


def _guest_page(reservation: Reservation):
    return see_other(
        url_for("reservations.show", code=reservation.code, token=reservation.guest_token())
    )


def _answer_again(reservation: Reservation):
    """The guest's page of a reservation already made; nothing is booked or mailed again."""
    g.booked_before = True
    return _guest_page(reservation)


def _booked_with(key: str | None):
    """The answer to a form already sent with this key (a double click, a retry, Back to
    the page as the browser kept it): the reservation it made."""
    code = earlier_result(key)
    return _answer_again(services.find_by_code(code)) if code else None


def _fingerprint(prop, form: ReservationForm) -> str:
    """The stay and the guest's address, hashed: the session cookie keeps no address."""
    stay = form.stay()
    text = f"{prop.id}:{stay.check_in}:{stay.check_out}:{stay.guests}:{form.email.data.lower()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _booked_before(prop, form: ReservationForm):
    """The live reservation this browser made of the same stay, for the same guest, if any.

    Back may fetch the page anew, with a new key (a browser keeps no copy of a page it
    first loaded without the session cookie, since the page varies with it); the same
    stay sent again from it is still the booking this browser made, not a second one.
    """
    fingerprint = _fingerprint(prop, form)
    for code, seen in session.get("bookings", []):
        if seen == fingerprint:
            reservation = services.find_by_code(code)
            if reservation.holds_nights:
                return _answer_again(reservation)
    return None


def _remember(prop, form: ReservationForm, reservation: Reservation) -> None:
    remembered = [[reservation.code, _fingerprint(prop, form)], *session.get("bookings", [])]
    session["bookings"] = remembered[:REMEMBERED_BOOKINGS]


def _private_link(reservation: Reservation) -> str:
    """The guest's own link, as their mail gives it."""
    return external_url("reservations.show", code=reservation.code, token=reservation.guest_token())


def _guest_reservation(code: str, token: str) -> Reservation:
    """The reservation behind a guest's link; a link that leads nowhere answers 404 with a
    way to have the right one mailed again."""
    try:
        return services.find_for_guest(code, token)
    except NotFound as error:
        abort(
            render_error(error.status, error.message, template="reservations/link_not_found.html")
        )


@bp.get("/reservations/<code>")
def show(code: str):
    """The guest's reservation, behind the token from their confirmation."""
    token = request.args.get("token", "")
    reservation = _guest_reservation(code, token)
    response = page_or_fragment(
        "reservations/show.html",
        "content",
        reservation=reservation,
        token=token,
        page_url=_private_link(reservation),
        cancel_form=CancelForm(),
        **details_of(reservation),
    )
    return no_store(response)


@bp.get("/reservations/<code>/stay.ics")
def stay_calendar(code: str):
    """The stay as a calendar file, behind the same token as the guest's page: the event of
    the confirmation's attachment (same UID and SEQUENCE); 404 for a request not yet
    accepted."""
    reservation = _guest_reservation(code, request.args.get("token", ""))
    if reservation.awaits_answer:
        raise NotFound("stay_not_confirmed")
    response = make_response(stay_calendar_file(reservation, _private_link(reservation)))
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{reservation.code}.ics"'
    return no_store(response)


def _too_many_lookups() -> str:
    return _("You have asked for many booking links from this address. Please wait an hour.")


@bp.route("/reservations/find", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["FIND_BOOKING_RATE_LIMIT"],
    methods=["POST"],
    exempt_when=from_this_machine,
    error_message=_too_many_lookups,
)
def find():
    """ "Find my booking": a code and an e-mail that match mail the stay's private link to
    the guest. The answer is the same whether or not they match, so the form tells no one
    which bookings exist; FIND_BOOKING_RATE_LIMIT per client address, and a few mails an
    hour per reservation."""
    form = FindBookingForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        sent = request.method == "GET" and request.args.get("sent") == "1"
        return no_store(
            page_or_fragment("reservations/find.html", "content", status, form=form, sent=sent)
        )
    services.mail_booking_link(form.code.data, form.email.data)
    return see_other(url_for("reservations.find", sent=1))


@bp.route("/reservations/<code>/cancel", methods=["GET", "POST"])
def cancel(code: str):
    """The guest cancels before the stay begins; frees its nights and mails the guest.

    The page's button (step=ask), like GET, first shows what cancelling changes and
    asks again; a POST of csrf_token and token alone cancels at once.
    """
    values = request.args if request.method == "GET" else request.form
    token = values.get("token", "")
    reservation = _guest_reservation(code, token)
    if request.method == "GET" or values.get("step") == "ask":
        if not reservation.holds_nights:
            return see_other(url_for("reservations.show", code=reservation.code, token=token))
        response = page_or_fragment(
            "reservations/cancel.html",
            "content",
            reservation=reservation,
            token=token,
            cancel_form=CancelForm(),
            **details_of(reservation),
        )
        return no_store(response)
    services.cancel(reservation, CancelledBy.GUEST)
    return see_other(url_for("reservations.show", code=reservation.code, token=token))
