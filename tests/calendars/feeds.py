"""Feeds as other sites write them, and what a test reads back from the site."""

import re
from datetime import date

from sqlalchemy import select

from innkeeper.availability.models import Block, Night
from innkeeper.extensions import db
from innkeeper.reservations.models import Reservation


def ics(*events: str) -> bytes:
    """A calendar as another site would serve it, with these VEVENT blocks."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other site//Feed//EN", *events]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def vevent(uid: str, *lines: str) -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"]
    )


def ical_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def all_day(uid: str, first_night: date, check_out: date, *lines: str) -> str:
    """An all-day event the way Airbnb and Booking.com write them: DTEND is the check-out day."""
    return vevent(
        uid,
        f"DTSTART;VALUE=DATE:{ical_date(first_night)}",
        f"DTEND;VALUE=DATE:{ical_date(check_out)}",
        *(lines or ["SUMMARY:Reserved"]),
    )


def booked(book, prop, check_in: date, check_out: date) -> Reservation:
    """Book through the site, as a guest would, and return the reservation."""
    assert book(prop, check_in, check_out, phone="+1 555 0100").status_code == 303
    # The request committed on its own session; end this one's older snapshot.
    db.session.rollback()
    return db.session.scalar(select(Reservation).order_by(Reservation.id.desc()))


def taken(prop) -> dict[date, str]:
    """Every taken night of the property and what holds it: "reservation" or "block"."""
    rows = db.session.execute(
        select(Night.night, Night.reservation_id).where(Night.property_id == prop.id)
    )
    return {row.night: "reservation" if row.reservation_id else "block" for row in rows}


def blocks(prop) -> list[tuple]:
    """The property's blocks as comparable tuples."""
    rows = db.session.scalars(select(Block).filter_by(property_id=prop.id).order_by(Block.id))
    return [(b.id, b.feed_id, b.uid, b.start_date, b.end_date, b.note) for b in rows]


DAY_PATTERN = re.compile(r'data-date="(\d{4}-\d{2}-\d{2})" data-available="(true|false)"')


def calendar_availability(client, prop, day: date) -> bool:
    """Whether the month calendar fragment shows `day` as bookable."""
    response = client.get(
        f"/properties/{prop.slug}/calendar?month={day:%Y-%m}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    days = dict(DAY_PATTERN.findall(response.get_data(as_text=True)))
    return days[day.isoformat()] == "true"


def quote_status(client, prop, check_in: date, check_out: date) -> int:
    query = f"check_in={check_in}&check_out={check_out}&guests=2"
    return client.get(f"/properties/{prop.slug}/quote?{query}").status_code
