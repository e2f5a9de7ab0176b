"""The booking workflows: quote, reserve, cancel, and the reminders before arrival."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select, update

from ..availability.services import (
    Owner,
    free_nights,
    refuse_taken,
    refuse_too_close,
    take_nights,
)
from ..clock import today_in, utcnow
from ..database import lock_property, write_transaction
from ..exceptions import NotFound
from ..extensions import db
from ..pricing.services import Quote, Stay, check_stay, price
from ..properties.models import Property
from ..properties.services import deletion_checks, get_published
from . import notifications
from .models import CancelledBy, Reservation, ReservationStatus, new_code


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    phone: str = ""
    message: str = ""


def quote(prop: Property, stay: Stay) -> Quote:
    """Price a stay the guest could book now; the rules are judged before availability."""
    check_stay(prop, stay, prop.local_today())
    refuse_taken(prop.id, stay.check_in, stay.check_out)
    refuse_too_close(prop, stay.check_in, stay.check_out)
    return price(prop, stay)


def reserve(slug: str, stay: Stay, guest: Guest) -> Reservation:
    """Book the stay in one transaction: the nights, the reservation and its mail, or nothing."""
    with write_transaction() as session:
        prop = get_published(slug)
        check_stay(prop, stay, prop.local_today())
        lock_property(prop.id)
        if current_app.config["BOOKING_APP_CHECK"]:
            refuse_taken(prop.id, stay.check_in, stay.check_out)
        # Only the application keeps the preparation days; the lock makes its check final.
        refuse_too_close(prop, stay.check_in, stay.check_out)
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
            locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        )
        reservation.price_at(price(prop, stay))
        reservation.confirm()
        session.add(reservation)
        session.flush()
        take_nights(prop.id, stay.nights, Owner(reservation_id=reservation.id))
        notifications.reservation_confirmed(reservation)
    return reservation


def find_for_guest(code: str, token: str) -> Reservation:
    """The reservation behind a guest's link; NotFound unless the token is its own."""
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.upper()))
    if reservation is None or not reservation.token_matches(token):
        raise NotFound("reservation_not_found")
    return reservation


def find_by_code(code: str) -> Reservation:
    """The reservation with this code, for the host; NotFound otherwise."""
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.strip().upper()))
    if reservation is None:
        raise NotFound("reservation_code_unknown", code=code)
    return reservation


def cancel(reservation: Reservation, by: CancelledBy) -> Reservation:
    """Cancel the stay, free its nights and tell guest and hosts; nothing if already cancelled.

    A guest may cancel until the stay begins (InvalidTransition, 409, after that).
    """
    with write_transaction() as session:
        # Under the property lock, read the status again: a second click that waited
        # for the first must see the stay already cancelled.
        lock_property(reservation.property_id)
        session.refresh(reservation)
        if reservation.cancel(by, reservation.property.local_today()):
            free_nights(Owner(reservation_id=reservation.id))
            notifications.reservation_cancelled(reservation)
    return reservation


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


def queue_due_reminders() -> int:
    """Queue one reminder for each confirmed stay whose reminder day has come."""
    lead = timedelta(days=current_app.config["REMINDER_DAYS"])
    today_utc = utcnow().date()
    rows = db.session.execute(
        select(Reservation.id, Reservation.check_in, Reservation.check_out, Property.timezone)
        .join(Reservation.property)
        .where(
            Reservation.status == ReservationStatus.CONFIRMED,
            Reservation.reminder_queued_at.is_(None),
            # Coarse bounds; each property's own today decides below.
            Reservation.check_in <= today_utc + lead + timedelta(days=2),
            Reservation.check_out >= today_utc - timedelta(days=2),
        )
    ).all()
    due = [row.id for row in rows if row.check_in - lead <= today_in(row.timezone) < row.check_out]
    queued = 0
    for reservation_id in due:
        with write_transaction() as session:
            # The conditional update lets only one worker queue this reminder.
            claimed = session.execute(
                update(Reservation)
                .where(
                    Reservation.id == reservation_id,
                    Reservation.status == ReservationStatus.CONFIRMED,
                    Reservation.reminder_queued_at.is_(None),
                )
                .values(reminder_queued_at=utcnow())
            ).rowcount
            if claimed:
                notifications.reminder(session.get(Reservation, reservation_id))
                queued += 1
    return queued
