from collections.abc import Iterable
from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from ..web import site_domain

PRODID = "-//Innkeeper//Innkeeper//EN"


def _calendar(name: str | None = None, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _all_day_event(uid: str, summary: str, first_night: date, check_out: date) -> Event:
    """An all-day event: DTSTART is the first night, DTEND (exclusive) the check-out day."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", first_night)
    event.add("dtend", check_out)
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    return event


def availability_feed(name: str, ranges: Iterable[tuple[str, date, date]]) -> bytes:
    """Every unavailable range as (uid key, first night, check-out): no guest details."""
    cal = _calendar(name=name)
    domain = site_domain()
    for key, start, end in ranges:
        cal.add_component(_all_day_event(f"{key}@{domain}", "Not available", start, end))
    return cal.to_ical()


def stay_calendar(reservation, url: str) -> bytes:
    """The guest's stay, to add to their own calendar."""
    cal = _calendar(method="PUBLISH")
    prop = reservation.property
    event = _all_day_event(
        f"reservation-{reservation.code}@{site_domain()}",
        f"{prop.name} ({reservation.code})",
        reservation.check_in,
        reservation.check_out,
    )
    event.add("url", url)
    event.add("description", f"{prop.name}\n{url}")
    if not reservation.is_live:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()
