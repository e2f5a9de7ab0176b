"""The guest's booking flow: the place's page, its calendar and quote, booking, the stay."""

import hashlib
from datetime import date

from flask import Blueprint, current_app, g, make_response, request, session, url_for
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..availability.month import CalendarMonth, parse_month
from ..availability.services import BookableNights
from ..clock import today_in
from ..database import Busy
from ..exceptions import DatesUnavailable, InnkeeperError, InvalidFields, NotFound, describe
from ..extensions import db, limiter
from ..forms import add_field_errors
from ..pricing.services import Quote
from ..properties.models import Property
from ..properties.services import get_published
from ..ratelimit import from_this_machine
from ..submissions import earlier_result
from ..web import no_store, page_or_fragment, see_other, wants_fragment
from . import services
from .forms import CancelForm, ReservationForm, StayForm
from .models import CancelledBy, Reservation

bp = Blueprint("reservations", __name__)

# How many of its latest bookings a browser's session remembers (see _booked_before).
REMEMBERED_BOOKINGS = 5

# What the cached calendar depends on, read on every request: built once, run as Core.
CALENDAR_KEY = select(
    Property.id,
    Property.timezone,
    Property.availability_version,
    Property.advance_notice_days,
    Property.booking_horizon_days,
    Property.preparation_days,
).where(Property.slug == bindparam("slug"), Property.published.is_(True))


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
            prop.id, prop.slug, prop.availability_version, first, BookableNights.of(prop, today)
        ).html()
    if form is None and (whole_page or block == "booking"):
        form = ReservationForm(formdata=form_data)
    return page_or_fragment(
        "reservations/property.html",
        block,
        status,
        prop=prop,
        calendar_html=calendar_html,
        form=form,
        quote=quote,
        quote_error=quote_error,
    )


@bp.get("/properties/<slug>")
def property_page(slug: str):
    """The property page with this month's calendar and an empty booking form."""
    return render_property(get_published(slug), "content")


@bp.get("/properties/<slug>/calendar")
def calendar(slug: str):
    """One month's availability, ?month=YYYY-MM (this month by default); 304 if unchanged."""
    if not wants_fragment():
        prop = get_published(slug)
        return render_property(prop, "calendar", month=parse_month(request.args.get("month")))
    row = db.session.connection().execute(CALENDAR_KEY, {"slug": slug}).one_or_none()
    if row is None:
        raise NotFound("property_not_found")
    today = today_in(row.timezone)
    first = parse_month(request.args.get("month")) or today.replace(day=1)
    bookable = BookableNights.under(
        today, row.advance_notice_days, row.booking_horizon_days, row.preparation_days
    )
    month = CalendarMonth(row.id, slug, row.availability_version, first, bookable)
    etag = month.etag
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(month.html())
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
    prop = get_published(slug)
    values = request.form if request.method == "POST" else request.args
    stay_form = StayForm(formdata=values)
    if not stay_form.validate():
        message = " ".join(str(m) for field in stay_form for m in field.errors)
        return render_property(prop, "quote", 422, form_data=values, quote_error=message)
    try:
        offer = services.quote(prop, stay_form.stay(), stay_form.coupon.data or "")
    except InnkeeperError as error:
        return render_property(
            prop, "quote", error.status, form_data=values, quote_error=error.message
        )
    return render_property(prop, "quote", form_data=values, quote=offer)


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
    prop = get_published(slug)
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


@bp.get("/reservations/<code>")
def show(code: str):
    """The guest's reservation, behind the token from their confirmation."""
    token = request.args.get("token", "")
    reservation = services.find_for_guest(code, token)
    response = page_or_fragment(
        "reservations/show.html",
        "content",
        reservation=reservation,
        token=token,
        cancel_form=CancelForm(),
        **services.details_of(reservation),
    )
    return no_store(response)


@bp.route("/reservations/<code>/cancel", methods=["GET", "POST"])
def cancel(code: str):
    """The guest cancels before the stay begins; frees its nights and mails the guest.

    The page's button (step=ask), like GET, first shows what cancelling changes and
    asks again; a POST of csrf_token and token alone cancels at once.
    """
    values = request.args if request.method == "GET" else request.form
    token = values.get("token", "")
    reservation = services.find_for_guest(code, token)
    if request.method == "GET" or values.get("step") == "ask":
        if not reservation.holds_nights:
            return see_other(url_for("reservations.show", code=reservation.code, token=token))
        response = page_or_fragment(
            "reservations/cancel.html",
            "content",
            reservation=reservation,
            token=token,
            cancel_form=CancelForm(),
            **services.details_of(reservation),
        )
        return no_store(response)
    services.cancel(reservation, CancelledBy.GUEST)
    return see_other(url_for("reservations.show", code=reservation.code, token=token))
