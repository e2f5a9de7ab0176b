"""The booking workflows: quote, reserve, answer a request, cancel, the reminders and
expiries, and the host's list."""

import math
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, update
from sqlalchemy.orm import joinedload

from ..activity.models import ACTIONS
from ..activity.services import record
from ..availability.services import (
    Owner,
    free_nights,
    refuse_taken,
    refuse_too_close,
    take_nights,
)
from ..clock import today_in, utcnow
from ..database import contains_ignoring_case, lock_property, write_transaction
from ..exceptions import InvalidTransition, NotFound
from ..extensions import db
from ..mail.models import OutboxMessage
from ..pricing.coupons import coupon_for, use_coupon
from ..pricing.services import Quote, Stay, check_stay, price
from ..properties.models import BookingMode, Property
from ..properties.services import deletion_checks, refuse_booked_by_unit
from ..submissions import claim
from . import notifications
from .hooks import cancellation_steps
from .models import CancelledBy, Reservation, ReservationStatus, Stage, new_code

ACTIONS.update(
    {
        "reservation.booked": _l("booked by phone"),
        "reservation.accepted": _l("accepted the request"),
        "reservation.declined": _l("declined the request"),
        "reservation.cancelled": _l("cancelled the stay"),
        "reservation.notes_changed": _l("changed the notes on"),
    }
)


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    phone: str = ""
    message: str = ""


def quote(prop: Property, stay: Stay, coupon: str = "") -> Quote:
    """Price a stay the guest could book now, less the coupon given; the rules and the
    coupon are judged before availability."""
    refuse_booked_by_unit(prop)
    check_stay(prop, stay, prop.local_today())
    offer = coupon_for(prop, stay, coupon) if coupon else None
    refuse_taken(prop.id, stay.check_in, stay.check_out)
    refuse_too_close(prop, stay.check_in, stay.check_out)
    return price(prop, stay, offer)


def reserve(
    prop: Property,
    stay: Stay,
    guest: Guest,
    *,
    by_host: bool = False,
    submission_key: str | None = None,
    coupon: str = "",
    locale: str | None = None,
) -> Reservation:
    """Book the stay in one transaction: the nights, the reservation and its mail, or nothing.

    The caller decides who may book `prop`: guests only a published place, hosts any.
    A guest's booking of a place that takes requests is a request: its nights are held
    until the host answers, or for REQUEST_HOLD_HOURS. A booking `by_host` (taken by
    phone) is confirmed at once and goes in the activity log. A `submission_key` used
    before fails the transaction with IntegrityError before anything is judged.
    A `coupon` code is judged and its use counted in the same transaction (InvalidFields
    on "coupon" when it may not be used, or its last use was just taken).
    The guest's mail and pages speak `locale`, by default the one of the current request.
    """
    with write_transaction() as session:
        check_stay(prop, stay, prop.local_today())
        lock_property(prop.id)
        refuse_booked_by_unit(prop)
        code = new_code()
        claim(submission_key, code)
        if current_app.config["BOOKING_APP_CHECK"]:
            refuse_taken(prop.id, stay.check_in, stay.check_out)
        # Only the application keeps the preparation days; the lock makes its check final.
        refuse_too_close(prop, stay.check_in, stay.check_out)
        reservation = Reservation(
            code=code,
            token_nonce=secrets.token_hex(16),
            property=prop,
            check_in=stay.check_in,
            check_out=stay.check_out,
            guests=stay.guests,
            guest_name=guest.name,
            guest_email=guest.email,
            guest_phone=guest.phone,
            guest_message=guest.message,
            locale=locale or str(get_locale()),
        )
        reservation.price_at(price(prop, stay, use_coupon(prop, stay, coupon)))
        reservation.keep_terms(prop)
        if prop.booking_mode is BookingMode.REQUEST and not by_host:
            reservation.request(timedelta(hours=current_app.config["REQUEST_HOLD_HOURS"]))
        else:
            reservation.confirm()
        session.add(reservation)
        session.flush()
        take_nights(prop.id, stay.nights, Owner(reservation_id=reservation.id))
        if reservation.awaits_answer:
            notifications.request_received(reservation)
        else:
            notifications.reservation_confirmed(reservation)
        if by_host:
            record("reservation.booked", code, property_id=prop.id, reservation_id=reservation.id)
    return reservation


def find_for_guest(code: str, token: str) -> Reservation:
    """The reservation behind a guest's link; NotFound unless the token is its own."""
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.upper()))
    if reservation is None or not reservation.token_matches(token):
        raise NotFound("reservation_not_found")
    return reservation


# At most this many "find my booking" mails per reservation within BOOKING_LINK_WINDOW: the
# form cannot be used to flood a guest's mailbox.
BOOKING_LINKS_PER_WINDOW = 3
BOOKING_LINK_WINDOW = timedelta(hours=1)


def mail_booking_link(code: str, email: str) -> bool:
    """Mail the guest's private link again when `code` and `email` (any case) name one of
    their reservations; True when a mail was queued.

    The link is the one they had: its token is derived from the code and a secret, never
    stored, so nothing is revoked. The mail goes to the address stored with the stay.
    """
    reservation = db.session.scalar(
        select(Reservation).where(
            Reservation.code == code.strip().upper(),
            func.lower(Reservation.guest_email) == email.strip().lower(),
        )
    )
    if reservation is None:
        return False
    with write_transaction() as session:
        # Under the place's lock, two requests at once count each other's mail.
        lock_property(reservation.property_id)
        recent = session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.reservation_id == reservation.id,
                OutboxMessage.kind == "booking_link",
                OutboxMessage.created_at > utcnow() - BOOKING_LINK_WINDOW,
            )
        )
        if recent >= BOOKING_LINKS_PER_WINDOW:
            return False
        notifications.booking_link(reservation)
    return True


def find_by_code(code: str) -> Reservation:
    """The reservation with this code, for the host; NotFound otherwise."""
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.strip().upper()))
    if reservation is None:
        raise NotFound("reservation_code_unknown", code=code)
    return reservation


def _release_expired(reservation: Reservation) -> None:
    """A request ended unanswered: its nights are free, guest and hosts are told."""
    free_nights(Owner(reservation_id=reservation.id))
    notifications.request_expired(reservation)


def _answer(reservation: Reservation, answer: Callable[[], bool]) -> bool:
    """Run the host's `answer` to a request under the property lock.

    A request past its time expires here, even if the worker has not come to it yet,
    and the answer is InvalidTransition (409).
    """
    with write_transaction() as session:
        # Under the property lock, read the status again: a second click that waited
        # for the first, or the worker's expiry, must be seen.
        lock_property(reservation.property_id)
        session.refresh(reservation)
        if not reservation.is_overdue(utcnow()):
            return answer()
        reservation.expire()
        _release_expired(reservation)
    raise InvalidTransition("request_expired")


def accept(reservation: Reservation) -> bool:
    """Confirm a request: the guest gets the confirmation. False when it already was.

    InvalidTransition (409) when the request was declined, withdrawn or has expired.
    """

    def confirm() -> bool:
        if not reservation.accept():
            return False
        notifications.request_accepted(reservation)
        record(
            "reservation.accepted",
            reservation.code,
            property_id=reservation.property_id,
            reservation_id=reservation.id,
        )
        return True

    return _answer(reservation, confirm)


def decline(reservation: Reservation, reason: str = "") -> bool:
    """Decline a request, free its nights and mail the guest, with `reason` if given.

    False when it was declined already; InvalidTransition (409) for a confirmed stay
    (cancel it instead) and for a request withdrawn or expired.
    """

    def refuse() -> bool:
        if not reservation.decline(reason):
            return False
        free_nights(Owner(reservation_id=reservation.id))
        notifications.request_declined(reservation)
        record(
            "reservation.declined",
            reservation.code,
            property_id=reservation.property_id,
            reservation_id=reservation.id,
            changes={"reason": [None, reason]} if reason else None,
        )
        return True

    return _answer(reservation, refuse)


def cancel(reservation: Reservation, by: CancelledBy, reason: str = "") -> bool:
    """Cancel the stay, free its nights and tell guest and hosts; False if already cancelled.

    A guest may cancel until the stay begins (InvalidTransition, 409, after that), and
    withdraw a request; a host may cancel a stay at any time, with a `reason` the
    guest's mail gives, and answers a request with decline() instead (409 here). A
    host's cancellation goes in the activity log.
    """
    with write_transaction() as session:
        # Under the property lock, read the status again: a second click that waited
        # for the first must see the stay already cancelled.
        lock_property(reservation.property_id)
        session.refresh(reservation)
        withdrawn = reservation.awaits_answer
        if not reservation.cancel(by, reservation.property.local_today(), reason):
            return False
        free_nights(Owner(reservation_id=reservation.id))
        for step in cancellation_steps:
            step(reservation)
        notifications.reservation_cancelled(reservation, request_withdrawn=withdrawn)
        if by is CancelledBy.HOST:
            record(
                "reservation.cancelled",
                reservation.code,
                property_id=reservation.property_id,
                reservation_id=reservation.id,
                changes={"reason": [None, reason]} if reason else None,
            )
    return True


def set_host_notes(reservation: Reservation, notes: str) -> bool:
    """Keep the hosts' notes on the stay; False when they are as they were."""
    with write_transaction() as session:
        session.refresh(reservation)
        before = reservation.host_notes
        if notes == before:
            return False
        reservation.host_notes = notes
        record(
            "reservation.notes_changed",
            reservation.code,
            property_id=reservation.property_id,
            reservation_id=reservation.id,
            changes={"notes": [before or None, notes]},
        )
    return True


def mail_about(reservation: Reservation) -> list[OutboxMessage]:
    """Every message about the stay, to the guest and to hosts, oldest first."""
    query = select(OutboxMessage).filter_by(reservation_id=reservation.id).order_by("id")
    return list(db.session.scalars(query))


# --- the host's list ----------------------------------------------------------------

PAGE_SIZE = 50

# Each stage of a confirmed stay as a condition on a place's own today;
# Reservation.stage() says the same.
STAGES: dict[Stage, Callable[[date], ColumnElement[bool]]] = {
    Stage.UPCOMING: lambda today: Reservation.check_in > today,
    Stage.IN_HOUSE: lambda today: (Reservation.check_in <= today) & (Reservation.check_out > today),
    Stage.PAST: lambda today: Reservation.check_out <= today,
}


@dataclass(frozen=True)
class ReservationFilter:
    """What the host narrows the list to; None or "" means everything."""

    stage: Stage | None = None
    status: ReservationStatus | None = None
    property_slug: str | None = None
    search: str = ""


def _on_local_today(condition: Callable[[date], ColumnElement[bool]]) -> ColumnElement[bool]:
    """`condition` judged on each place's own today (places in one timezone share a date)."""
    places_by_today = defaultdict(list)
    for property_id, timezone in db.session.execute(select(Property.id, Property.timezone)):
        places_by_today[today_in(timezone)].append(property_id)
    return or_(
        false(),
        *(
            and_(Reservation.property_id.in_(ids), condition(today))
            for today, ids in places_by_today.items()
        ),
    )


def _conditions(filters: ReservationFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.stage is Stage.REQUESTED:
        conditions.append(Reservation.status == ReservationStatus.REQUESTED)
    elif filters.stage is Stage.CANCELLED:
        conditions.append(~Reservation.holds_nights)
    elif filters.stage is not None:
        conditions += [
            Reservation.status == ReservationStatus.CONFIRMED,
            _on_local_today(STAGES[filters.stage]),
        ]
    if filters.status is not None:
        conditions.append(Reservation.status == filters.status)
    if filters.property_slug:
        conditions.append(Property.slug == filters.property_slug)
    if needle := filters.search.strip():
        conditions.append(
            or_(
                # Codes are stored in capitals.
                Reservation.code.contains(needle.upper(), autoescape=True),
                contains_ignoring_case(Reservation.guest_name, needle),
                contains_ignoring_case(Reservation.guest_email, needle),
            )
        )
    return conditions


def _newest_stays_first(query: Select, filters: ReservationFilter) -> Select:
    """Newest stays first; requests waiting for an answer, the first to expire first."""
    if filters.stage is Stage.REQUESTED:
        order = (Reservation.request_expires_at, Reservation.id)
    else:
        order = (Reservation.check_in.desc(), Reservation.id.desc())
    return query.join(Reservation.property).where(*_conditions(filters)).order_by(*order)


@dataclass(frozen=True)
class ReservationPage:
    reservations: list[Reservation]
    number: int
    count: int
    total: int
    # Each place's own today, by property id, to tell where its stays stand.
    today: dict[int, date]

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def list_reservations(filters: ReservationFilter, page: int = 1) -> ReservationPage:
    """One page of the reservations that match, newest stays first; past the end, the last."""
    total = db.session.scalar(
        select(func.count(Reservation.id)).join(Reservation.property).where(*_conditions(filters))
    )
    count = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(page, 1), count)
    query = (
        _newest_stays_first(select(Reservation), filters)
        .options(joinedload(Reservation.property))
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    rows = list(db.session.scalars(query))
    today = {prop.id: prop.local_today() for prop in {row.property for row in rows}}
    return ReservationPage(rows, number, count, total, today)


EXPORT_COLUMNS = (
    Reservation.code,
    Property.slug,
    Reservation.check_in,
    Reservation.check_out,
    Reservation.guests,
    Reservation.guest_name,
    Reservation.guest_email,
    Reservation.guest_phone,
    Reservation.total_minor,
    Reservation.currency,
    Reservation.status,
    Reservation.created_at,
)


def export_rows(filters: ReservationFilter) -> Iterator:
    """Every matching reservation as a row of EXPORT_COLUMNS, read a few hundred at a time."""
    query = _newest_stays_first(select(*EXPORT_COLUMNS), filters)
    yield from db.session.execute(query.execution_options(yield_per=500))


def stays_to_come(prop: Property, today) -> int:
    """Live stays of the place that have not ended: a place with these cannot be deleted."""
    return db.session.scalar(
        select(func.count(Reservation.id)).where(
            Reservation.property_id == prop.id,
            Reservation.holds_nights,
            Reservation.check_out > today,
        )
    )


deletion_checks.append(stays_to_come)


def open_requests() -> list[Reservation]:
    """Every request waiting for the host's answer, the first to expire first."""
    return list(
        db.session.scalars(
            select(Reservation)
            .options(joinedload(Reservation.property))
            .where(Reservation.status == ReservationStatus.REQUESTED)
            .order_by(Reservation.request_expires_at, Reservation.id)
        )
    )


def expire_overdue_requests() -> int:
    """Expire each request left unanswered past its time: nights freed, guest and hosts told."""
    moment = utcnow()
    overdue = db.session.execute(
        select(Reservation.id, Reservation.property_id).where(
            Reservation.status == ReservationStatus.REQUESTED,
            Reservation.request_expires_at <= moment,
        )
    ).all()
    expired = 0
    for row in overdue:
        with write_transaction() as session:
            lock_property(row.property_id)
            # The conditional update lets only one worker expire this request, and
            # none once the host has answered it.
            claimed = session.execute(
                update(Reservation)
                .where(
                    Reservation.id == row.id,
                    Reservation.status == ReservationStatus.REQUESTED,
                    Reservation.request_expires_at <= moment,
                )
                .values(status=ReservationStatus.EXPIRED)
            ).rowcount
            if claimed:
                _release_expired(session.get(Reservation, row.id, populate_existing=True))
                expired += 1
    return expired


# A guest is thanked from the day after check-out for this long: a worker that was down
# a few days still thanks them, one long gone does not write about a stay long past.
THANK_YOU_WINDOW = timedelta(days=7)


def _confirmed_stays(sent_at, *conditions) -> list:
    """(id, check_in, check_out, timezone) of confirmed stays whose `sent_at` is not set."""
    return db.session.execute(
        select(Reservation.id, Reservation.check_in, Reservation.check_out, Property.timezone)
        .join(Reservation.property)
        .where(Reservation.status == ReservationStatus.CONFIRMED, sent_at.is_(None), *conditions)
    ).all()


def _queue_once(reservation_ids: list[int], sent_at, mail: Callable[[Reservation], None]) -> int:
    """Mail each confirmed stay once; returns how many were queued.

    The conditional update lets only one worker claim each stay, and none once it is
    cancelled.
    """
    queued = 0
    for reservation_id in reservation_ids:
        with write_transaction() as session:
            claimed = session.execute(
                update(Reservation)
                .where(
                    Reservation.id == reservation_id,
                    Reservation.status == ReservationStatus.CONFIRMED,
                    sent_at.is_(None),
                )
                .values({sent_at: utcnow()})
            ).rowcount
            if claimed:
                mail(session.get(Reservation, reservation_id))
                queued += 1
    return queued


def queue_due_reminders() -> int:
    """Queue one reminder for each confirmed stay whose reminder day has come."""
    lead = timedelta(days=current_app.config["REMINDER_DAYS"])
    today_utc = utcnow().date()
    rows = _confirmed_stays(
        Reservation.reminder_queued_at,
        # Coarse bounds; each property's own today decides below.
        Reservation.check_in <= today_utc + lead + timedelta(days=2),
        Reservation.check_out >= today_utc - timedelta(days=2),
    )
    due = [row.id for row in rows if row.check_in - lead <= today_in(row.timezone) < row.check_out]
    return _queue_once(due, Reservation.reminder_queued_at, notifications.reminder)


def queue_due_pre_arrival_mail() -> int:
    """Mail the place's arrival instructions PRE_ARRIVAL_DAYS before check-in, once per stay.

    Only places with instructions: the others' guests have had the reminder. A stay booked
    later than that gets them at once, up to its check-in day.
    """
    lead = timedelta(days=current_app.config["PRE_ARRIVAL_DAYS"])
    today_utc = utcnow().date()
    rows = _confirmed_stays(
        Reservation.pre_arrival_queued_at,
        Property.arrival_instructions != "",
        Reservation.check_in <= today_utc + lead + timedelta(days=2),
        Reservation.check_in >= today_utc - timedelta(days=2),
    )
    due = [row.id for row in rows if row.check_in - lead <= today_in(row.timezone) <= row.check_in]
    return _queue_once(due, Reservation.pre_arrival_queued_at, notifications.pre_arrival)


def queue_due_thank_you_mail() -> int:
    """Thank each guest once, from the day after check-out (the place's date), for a stay
    that was not cancelled."""
    today_utc = utcnow().date()
    rows = _confirmed_stays(
        Reservation.thank_you_queued_at,
        Reservation.check_out <= today_utc + timedelta(days=1),
        Reservation.check_out >= today_utc - THANK_YOU_WINDOW - timedelta(days=2),
    )
    due = [
        row.id
        for row in rows
        if row.check_out < today_in(row.timezone) <= row.check_out + THANK_YOU_WINDOW
    ]
    return _queue_once(due, Reservation.thank_you_queued_at, notifications.thank_you)
