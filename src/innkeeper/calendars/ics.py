import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..web import site_domain

PRODID = "-//Innkeeper//Innkeeper//EN"
# Longer UIDs are stored as their hash (the block's uid column holds 255 characters).
MAX_UID_LENGTH = 255


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
    # Calendar apps apply the cancellation only as a newer version of the event.
    event.add("sequence", 0 if reservation.is_live else 1)
    event.add("status", "CONFIRMED" if reservation.is_live else "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()


@dataclass(frozen=True)
class FeedEvent:
    """An event of another site's calendar as the nights it takes: [first_night, check_out)."""

    uid: str
    summary: str
    first_night: date
    check_out: date
    cancelled: bool


def _local_date(value: date | datetime, zone: ZoneInfo) -> date:
    if not isinstance(value, datetime):
        return value
    # A time without a zone ("floating") is already the property's local time.
    return (value.astimezone(zone) if value.tzinfo else value).date()


def read_events(body: bytes, timezone: str) -> list[FeedEvent]:
    """Every VEVENT of a feed, its dates as local dates of `timezone`; ValueError if unreadable.

    All-day values are dates and DTEND is exclusive, so DTEND is the check-out day. With
    no DTEND an all-day event lasts one day (icalendar applies DURATION and that default).
    """
    calendar = Calendar.from_ical(body)
    if calendar.name != "VCALENDAR":
        raise ValueError(f"expected a VCALENDAR, found {calendar.name}")
    zone = ZoneInfo(timezone)
    events = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid", "")).strip()
        # A date past 9999-12-31 (the end of an all-day event on that day, or a huge
        # DURATION) raises OverflowError.
        try:
            first_night = _local_date(event.start, zone)
            check_out = _local_date(event.end, zone)
            # An event within one day, or with its end before its start, still takes its night.
            check_out = max(check_out, first_night + timedelta(days=1))
        except (ValueError, OverflowError) as error:
            raise ValueError(f"event {uid or '(no UID)'}: {error}") from None
        if not uid:
            # Without a UID the dates identify the event: a move reads as cancel and rebook.
            uid = f"{first_night}/{check_out}"
        elif len(uid) > MAX_UID_LENGTH:
            uid = "sha256:" + hashlib.sha256(uid.encode()).hexdigest()
        events.append(
            FeedEvent(
                uid=uid,
                summary=str(event.get("summary", "")).strip(),
                first_night=first_night,
                check_out=check_out,
                cancelled=str(event.get("status", "")).upper() == "CANCELLED",
            )
        )
    return events
