import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from ..ics import all_day_event, new_calendar
from ..web import site_domain

# Longer UIDs are stored as their hash (the block's uid column holds 255 characters).
MAX_UID_LENGTH = 255


def availability_feed(name: str, ranges: Iterable[tuple[str, date, date]]) -> bytes:
    """Every unavailable range as (uid key, first night, check-out): no guest details."""
    cal = new_calendar(name=name)
    domain = site_domain()
    for key, start, end in ranges:
        cal.add_component(all_day_event(f"{key}@{domain}", "Not available", start, end))
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
