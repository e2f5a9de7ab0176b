"""The host's reservations: the list and its CSV, one stay, notes, answering requests,
cancelling, phone bookings."""

import csv
import io
from collections.abc import Iterator
from enum import StrEnum

from flask import Blueprint, Response, flash, request, stream_with_context, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..activity.services import recent
from ..database import Busy
from ..exceptions import DatesUnavailable, InvalidFields, InvalidTransition, describe
from ..forms import add_field_errors
from ..host.auth import host_required
from ..money import Money
from ..properties.services import get_for_host, list_for_host
from ..settings.languages import site_locale
from ..submissions import earlier_result
from ..web import page_or_fragment, see_other
from . import services
from .forms import DeclineForm, HostCancelForm, NotesForm, PhoneBookingForm
from .hooks import details_of
from .models import CancelledBy, ReservationStatus, Stage

# The prefix is /host: the CSV sits beside the list, at /host/reservations.csv.
bp = Blueprint("reservations_admin", __name__, url_prefix="/host")

FILTER_ARGS = ("show", "status", "property", "q")
CSV_HEADER = [
    "code",
    "property",
    "check_in",
    "check_out",
    "guests",
    "name",
    "email",
    "phone",
    "total",
    "currency",
    "status",
    "created_at",
]
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _member(enum: type[StrEnum], value: str | None) -> StrEnum | None:
    try:
        return enum(value)
    except ValueError:
        return None


def _filters() -> services.ReservationFilter:
    """The list's filters from the query string; a value we do not know filters nothing."""
    args = request.args
    return services.ReservationFilter(
        stage=_member(Stage, args.get("show")),
        status=_member(ReservationStatus, args.get("status")),
        property_slug=args.get("property") or None,
        search=args.get("q", "")[:200],
    )


def _filter_args() -> dict[str, str]:
    """The filters as given, for links that keep them (pages, the CSV, the tabs)."""
    return {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}


def _list_url(endpoint: str = ".index", **changes) -> str:
    """The list's address with `changes` to its filters (None drops one), from page 1."""
    values = {**_filter_args(), **changes}
    return url_for(endpoint, **{name: value for name, value in values.items() if value})


@bp.get("/reservations")
@host_required
def index():
    """Every reservation, newest stays first, 50 a page; by stage, status, place or search."""
    filters = _filters()
    page = services.list_reservations(filters, request.args.get("page", 1, type=int))
    return page_or_fragment(
        "reservations/admin/index.html",
        "page",
        page=page,
        filters=filters,
        list_url=_list_url,
        places=list_for_host(),
        stages=list(Stage),
        statuses=list(ReservationStatus),
    )


def _safe_cell(value: str) -> str:
    """A guest's text as a spreadsheet shows it, never runs it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_lines(rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for number, row in enumerate(rows, 1):
        writer.writerow(
            [
                row.code,
                row.slug,
                row.check_in.isoformat(),
                row.check_out.isoformat(),
                row.guests,
                _safe_cell(row.guest_name),
                _safe_cell(row.guest_email),
                _safe_cell(row.guest_phone),
                str(Money(row.total_minor, row.currency)),
                row.currency,
                row.status.value,
                row.created_at.replace(microsecond=0).isoformat() + "Z",
            ]
        )
        if number % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@bp.get("/reservations.csv")
@host_required
def export():
    """The list's rows, every page of them, as CSV; streamed as they are read."""
    rows = services.export_rows(_filters())
    response = Response(stream_with_context(_csv_lines(rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="reservations.csv"'
    return response


def _booking_page(form: PhoneBookingForm, status: int = 200, problem: str | None = None):
    return page_or_fragment(
        "reservations/admin/new.html", "page", status, form=form, problem=problem
    )


@bp.get("/reservations/new")
@host_required
def new():
    """The form for a booking taken by phone."""
    return _booking_page(PhoneBookingForm(list_for_host(), site_locale(), formdata=None))


@bp.post("/reservations")
@host_required
def create():
    """Book for a guest, any place of the site: the guest's rules, 422 or 409; one per form."""
    form = PhoneBookingForm(list_for_host(), site_locale())
    key = form.submission_key.data
    if code := earlier_result(key):
        return see_other(url_for(".show", code=code))
    if not form.validate():
        return _booking_page(form, 422)
    prop = get_for_host(form.property.data)
    if not form.validate_for(prop):
        return _booking_page(form, 422)
    try:
        reservation = services.reserve(
            prop,
            form.stay(),
            form.guest(),
            by_host=True,
            submission_key=key,
            coupon=form.coupon.data or "",
            locale=form.locale.data,
        )
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _booking_page(form, 422)
    except DatesUnavailable as error:
        return _booking_page(form, 409, error.message)
    except Busy:
        response = _booking_page(form, 503, describe("busy"))
        response.headers["Retry-After"] = str(Busy.retry_after_seconds)
        return response
    except IntegrityError:
        # The same form, submitted twice at once: the other submission booked.
        if code := earlier_result(key):
            return see_other(url_for(".show", code=code))
        raise
    flash(_("Reservation %(code)s is booked; the guest is mailed.", code=reservation.code))
    return see_other(url_for(".show", code=reservation.code))


def _reservation_page(reservation, status: int = 200, *, notes_form=None, problem=None):
    return page_or_fragment(
        "reservations/admin/show.html",
        "page",
        status,
        reservation=reservation,
        stage=reservation.stage(reservation.property.local_today()),
        messages=services.mail_about(reservation),
        entries=recent(reservation_id=reservation.id),
        notes_form=notes_form or NotesForm(notes=reservation.host_notes),
        **details_of(reservation),
        problem=problem,
    )


@bp.get("/reservations/<code>")
@host_required
def show(code: str):
    """One stay: its price, the guest, its mail and history, the hosts' notes."""
    return _reservation_page(services.find_by_code(code))


@bp.post("/reservations/<code>/notes")
@host_required
def notes(code: str):
    """Keep the hosts' private notes on the stay."""
    reservation = services.find_by_code(code)
    form = NotesForm()
    if not form.validate():
        return _reservation_page(reservation, 422, notes_form=form)
    if services.set_host_notes(reservation, form.notes.data or ""):
        flash(_("The notes are saved."))
    return see_other(url_for(".show", code=reservation.code))


@bp.post("/reservations/<code>/accept")
@host_required
def accept(code: str):
    """Confirm a request and send the guest the confirmation; accepting again changes
    nothing; 409 for a request declined, withdrawn or expired."""
    reservation = services.find_by_code(code)
    try:
        accepted = services.accept(reservation)
    except InvalidTransition as error:
        return _reservation_page(reservation, 409, problem=error.message)
    if accepted:
        flash(_("%(code)s is accepted; the guest is sent the confirmation.", code=reservation.code))
    else:
        flash(_("%(code)s was already accepted; nothing changed.", code=reservation.code))
    return see_other(url_for(".show", code=reservation.code))


@bp.route("/reservations/<code>/decline", methods=["GET", "POST"])
@host_required
def decline(code: str):
    """Ask first; then decline the request, free its nights and mail the guest the reason.

    Declining again changes nothing; 409 for a confirmed stay (cancel it instead) and
    for a request withdrawn or expired.
    """
    reservation = services.find_by_code(code)
    form = DeclineForm()
    if request.method == "GET" and not reservation.awaits_answer:
        return see_other(url_for(".show", code=reservation.code))
    # The reason is only read for a request still waiting; the service judges the rest.
    if request.method == "GET" or (reservation.awaits_answer and not form.validate()):
        status = 200 if request.method == "GET" else 422
        return page_or_fragment(
            "reservations/admin/decline.html", "page", status, reservation=reservation, form=form
        )
    try:
        declined = services.decline(reservation, form.reason.data or "")
    except InvalidTransition as error:
        return _reservation_page(reservation, 409, problem=error.message)
    if declined:
        flash(
            _(
                "%(code)s is declined; its nights are free and the guest is mailed.",
                code=reservation.code,
            )
        )
    else:
        flash(_("%(code)s was already declined; nothing changed.", code=reservation.code))
    return see_other(url_for(".show", code=reservation.code))


@bp.route("/reservations/<code>/cancel", methods=["GET", "POST"])
@host_required
def cancel(code: str):
    """Ask first; then cancel (even a stay under way), free the nights, mail guest and hosts.

    A stay already cancelled stays as it is: a second click changes nothing. A request
    is declined, not cancelled (409).
    """
    reservation = services.find_by_code(code)
    form = HostCancelForm()
    if request.method == "GET" or not form.validate():
        if not reservation.holds_nights or reservation.awaits_answer:
            return see_other(url_for(".show", code=reservation.code))
        status = 200 if request.method == "GET" else 422
        return page_or_fragment(
            "reservations/admin/cancel.html", "page", status, reservation=reservation, form=form
        )
    try:
        cancelled = services.cancel(reservation, CancelledBy.HOST, form.reason.data or "")
    except InvalidTransition as error:
        return _reservation_page(reservation, 409, problem=error.message)
    if cancelled:
        flash(
            _(
                "%(code)s is cancelled; its nights are free and the guest is mailed.",
                code=reservation.code,
            )
        )
    else:
        flash(_("%(code)s was already cancelled; nothing changed.", code=reservation.code))
    return see_other(url_for(".show", code=reservation.code))
