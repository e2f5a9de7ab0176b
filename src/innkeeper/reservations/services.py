"""The booking workflows: quote, reserve, cancel, and the reminders before arrival."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..availability.services import (
    BOOKING_HORIZON_DAYS,
    last_bookable_night,
    nights_of,
    taken_nights,
)
from ..database import lock_property, utcnow, write_transaction
from ..extensions import db
from ..mail import notifications
from ..properties.models import Property, local_today
from ..properties.services import get_published
from .errors import DatesUnavailable, InvalidStay, NotFound, StayStarted
from .models import Night, Reservation, group_rates, new_code


@dataclass(frozen=True)
class Stay:
    check_in: date
    check_out: date
    guests: int

    @property
    def nights(self) -> list[date]:
        return nights_of(self.check_in, self.check_out)

    @property
    def length(self) -> int:
        """Number of nights, counted without listing them (a request may span centuries)."""
        return (self.check_out - self.check_in).days


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    phone: str = ""
    message: str = ""


@dataclass(frozen=True)
class Quote:
    currency: str
    lines: list[tuple[date, int]]
    cleaning_fee_cents: int

    @property
    def nights_total_cents(self) -> int:
        return sum(cents for _, cents in self.lines)

    @property
    def total_cents(self) -> int:
        return self.nights_total_cents + self.cleaning_fee_cents

    @property
    def rate_groups(self) -> list[tuple[int, int]]:
        return group_rates([cents for _, cents in self.lines])


def check_stay(prop: Property, stay: Stay, today: date) -> None:
    """Raise InvalidStay with every rule the stay breaks, by form field."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, key: str, **params) -> None:
        errors.setdefault(field, []).append(InvalidStay.describe(key, **params))

    if stay.check_out <= stay.check_in:
        fail("check_out", "check_out_before_check_in")
    else:
        if stay.check_in < today:
            fail("check_in", "check_in_past", today=today.isoformat())
        latest = last_bookable_night(today)
        if stay.check_out - timedelta(days=1) > latest:
            fail(
                "check_out",
                "too_far_ahead",
                days=BOOKING_HORIZON_DAYS,
                latest=(latest + timedelta(days=1)).isoformat(),
            )
        if stay.length < prop.min_nights:
            fail("check_out", "min_nights", count=prop.min_nights)
    if not 1 <= stay.guests <= prop.max_guests:
        fail("guests", "guests_range", max=prop.max_guests)
    if errors:
        raise InvalidStay(errors)


def price(prop: Property, stay: Stay) -> Quote:
    return Quote(
        currency=prop.currency,
        lines=[(night, prop.rate_for(night)) for night in stay.nights],
        cleaning_fee_cents=prop.cleaning_fee_cents,
    )


def _refuse_taken(prop: Property, stay: Stay) -> None:
    taken = taken_nights(prop.id, stay.check_in, stay.check_out)
    if taken:
        raise DatesUnavailable(
            "dates_unavailable", nights=", ".join(n.isoformat() for n in sorted(taken))
        )


def quote(prop: Property, stay: Stay) -> Quote:
    """Price a stay the guest could book now; the rules are judged before availability."""
    check_stay(prop, stay, prop.local_today())
    _refuse_taken(prop, stay)
    return price(prop, stay)


def reserve(slug: str, stay: Stay, guest: Guest) -> Reservation:
    """Book the stay in one transaction: the nights, the reservation and its mail, or nothing."""
    with write_transaction() as session:
        prop = get_published(slug)
        check_stay(prop, stay, prop.local_today())
        lock_property(prop.id)
        if current_app.config["BOOKING_APP_CHECK"]:
            _refuse_taken(prop, stay)
        offer = price(prop, stay)
        reservation = Reservation(
            code=new_code(),
            token_nonce=secrets.token_hex(16),
            property=prop,
            check_in=stay.check_in,
            check_out=stay.check_out,
            guests=stay.guests,
            guest_name=guest.name,
            guest_email=guest.email,
            guest_phone=guest.phone,
            guest_message=guest.message,
            currency=offer.currency,
            price_lines=[
                {"night": night.isoformat(), "cents": cents} for night, cents in offer.lines
            ],
            nights_total_cents=offer.nights_total_cents,
            cleaning_fee_cents=offer.cleaning_fee_cents,
            total_cents=offer.total_cents,
        )
        session.add(reservation)
        session.flush()
        try:
            session.execute(
                insert(Night),
                [
                    {"property_id": prop.id, "night": night, "reservation_id": reservation.id}
                    for night in stay.nights
                ],
            )
        except IntegrityError:
            raise DatesUnavailable("dates_just_taken") from None
        notifications.reservation_confirmed(reservation)
    return reservation


def find_reservation(code: str, token: str) -> Reservation:
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.upper()))
    if reservation is None or not reservation.token_matches(token):
        raise NotFound("reservation_not_found")
    return reservation


def cancel(code: str, token: str) -> Reservation:
    """Cancel a confirmed stay that has not begun, free its nights and tell guest and host."""
    with write_transaction() as session:
        reservation = find_reservation(code, token)
        # Under the property lock, read the status again: a second click that waited
        # for the first must see the stay already cancelled.
        lock_property(reservation.property_id)
        session.refresh(reservation)
        if not reservation.is_live:
            return reservation
        if reservation.check_in <= reservation.property.local_today():
            raise StayStarted("stay_started")
        session.execute(delete(Night).where(Night.reservation_id == reservation.id))
        reservation.cancel()
        notifications.reservation_cancelled(reservation)
    return reservation


def queue_due_reminders() -> int:
    """Queue one reminder for each confirmed stay whose reminder day has come."""
    lead = timedelta(days=current_app.config["REMINDER_DAYS"])
    rows = db.session.execute(
        select(Reservation.id, Reservation.check_in, Reservation.check_out, Property.timezone)
        .join(Reservation.property)
        .where(
            Reservation.status == Reservation.CONFIRMED,
            Reservation.reminder_queued_at.is_(None),
            # Coarse bounds; each property's own today decides below.
            Reservation.check_in <= utcnow().date() + lead + timedelta(days=2),
            Reservation.check_out >= utcnow().date() - timedelta(days=2),
        )
    ).all()
    due = [
        row.id for row in rows if row.check_in - lead <= local_today(row.timezone) < row.check_out
    ]
    queued = 0
    for reservation_id in due:
        with write_transaction() as session:
            # The conditional update lets only one worker queue this reminder.
            claimed = session.execute(
                update(Reservation)
                .where(
                    Reservation.id == reservation_id,
                    Reservation.status == Reservation.CONFIRMED,
                    Reservation.reminder_queued_at.is_(None),
                )
                .values(reminder_queued_at=utcnow())
            ).rowcount
            if claimed:
                notifications.reminder(session.get(Reservation, reservation_id))
                queued += 1
    return queued
