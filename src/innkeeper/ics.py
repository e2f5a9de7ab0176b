"""Building iCalendar (RFC 5545) files: the calendar and the all-day events both feeds use."""

from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from .clock import now

PRODID = "-//Innkeeper//Innkeeper//EN"


def new_calendar(name: str | None = None, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def all_day_event(
    uid: str, summary: str, first_night: date, check_out: date, stamp: datetime | None = None
) -> Event:
    """An all-day event: DTSTART is the first night, DTEND (exclusive) the check-out day.

    `stamp` (DTSTAMP, UTC) is now unless given: a feed gives a stable one, so that an
    unchanged event reads the same at every fetch.
    """
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", (stamp or now()).replace(tzinfo=UTC))
    event.add("dtstart", first_night)
    event.add("dtend", check_out)
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    return event
