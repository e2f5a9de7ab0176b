import contextlib
import hashlib
import hmac
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from flask import current_app
from icalendar import Calendar, Event, Timezone
from icalendar.parser import Contentlines

from ..exceptions import FeedError
from ..ics import all_day_event, new_calendar
from ..web import site_domain

# Longer keys are stored as their hash (the block's uid column holds 255 characters).
MAX_UID_LENGTH = 255
# Properties that decide which nights an event takes; the others (descriptions, attendees,
# alarms) are dropped before parsing, which is where the time of a large feed goes.
NIGHT_PROPERTIES = {
    "UID",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "STATUS",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "SEQUENCE",
}
EVENT_LINES = {"BEGIN", "END", *NIGHT_PROPERTIES}
RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
# Unreadable events and repeated UIDs named in the feed's notices; all are counted.
EXAMPLES_SHOWN = 5


# The UIDs of our export: "<kind>-<key>.<place tag>@<our domain>", kinds stay, block and
# feed (an event imported from another feed), the key followed by "-<first night>" for the
# second and later runs of one holder's nights. The tag tells a place's own events apart
# when they come back through another site; an Innkeeper UID from another place is
# exported as it came, so that the place it names knows it too.
EXPORT_UID = re.compile(
    r"(?P<key>(?:stay|block|feed)-[0-9a-z-]+)\.(?P<tag>[0-9a-f]{12})@(?P<domain>[^@\s]+)"
)


def _digest(text: str, length: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:length]


def place_tag(property_id: int) -> str:
    """Opaque, stable, and the same in every UID of the place's export."""
    return _digest(f"feed-place:{property_id}", 12)


def opaque(text: str) -> str:
    """A stable key that does not reveal `text` (a reservation code, another site's UID)."""
    return _digest(f"feed-uid:{text}", 24)


def export_uid(kind: str, key: str, property_id: int) -> str:
    return f"{kind}-{key}.{place_tag(property_id)}@{site_domain()}"


def is_export_uid(uid: str) -> bool:
    return EXPORT_UID.fullmatch(uid) is not None


def is_own_uid(uid: str, property_id: int) -> bool:
    """Whether the place's own export made this UID: its event coming back from elsewhere."""
    match = EXPORT_UID.fullmatch(uid)
    return match is not None and hmac.compare_digest(match["tag"], place_tag(property_id))


def run_uid(uid: str, first_night: date) -> str:
    """The UID of a later run of the same holder's nights: still recognisably the place's."""
    match = EXPORT_UID.fullmatch(uid)
    return f"{match['key']}-{first_night.isoformat()}.{match['tag']}@{match['domain']}"


@dataclass(frozen=True)
class ExportEvent:
    uid: str
    first_night: date
    check_out: date
    # DTSTAMP: when its holder was made, so that the feed reads the same until it changes.
    stamp: datetime


def availability_feed(name: str, events: Iterable[ExportEvent]) -> bytes:
    """Every unavailable range as an all-day event: no guest details."""
    cal = new_calendar(name=name)
    for event in events:
        cal.add_component(
            all_day_event(
                event.uid, "Not available", event.first_night, event.check_out, event.stamp
            )
        )
    return cal.to_ical()


@dataclass(frozen=True)
class FeedEvent:
    """An event of another site's calendar as the nights it takes: [first_night, check_out).

    `key` names it across syncs: its UID, with the occurrence's RECURRENCE-ID for an
    occurrence of a recurring event, and its dates when other events share its UID.
    """

    key: str
    uid: str
    summary: str
    first_night: date
    check_out: date
    cancelled: bool


@dataclass(frozen=True)
class Limits:
    """What one sync may read: until `deadline` (time.monotonic()), the download's
    `seconds` included, and at most `max_events` events still to come."""

    deadline: float
    seconds: float
    max_events: int


@dataclass
class FeedReading:
    """The events of a feed, and what could not be imported as it stands."""

    events: list[FeedEvent] = field(default_factory=list)
    # (UID, error) of events skipped as unreadable, and UIDs shared by distinct events.
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    repeated_uids: list[str] = field(default_factory=list)

    def notices(self) -> list[dict]:
        """What the host should hear of, as error records."""
        notices = []
        if self.unreadable:
            examples = "; ".join(
                f"{uid or '(no UID)'}: {error}" for uid, error in self.unreadable[:EXAMPLES_SHOWN]
            )
            notices.append(
                FeedError(
                    "feed_events_unreadable", count=len(self.unreadable), examples=examples
                ).as_record()
            )
        if self.repeated_uids:
            notices.append(
                FeedError(
                    "feed_uids_repeated",
                    count=len(self.repeated_uids),
                    uids=", ".join(self.repeated_uids[:EXAMPLES_SHOWN]),
                ).as_record()
            )
        return notices


def _local_date(value: date | datetime, zone: ZoneInfo) -> date:
    if not isinstance(value, datetime):
        return value
    # A time without a zone ("floating") is already the property's local time.
    return (value.astimezone(zone) if value.tzinfo else value).date()


def _nights(event: Event, zone: ZoneInfo) -> tuple[date, date]:
    """[first night, check-out) of an event or occurrence; ValueError if its dates are bad.

    All-day values are dates and DTEND is exclusive, so DTEND is the check-out day. With
    no DTEND an all-day event lasts one day (icalendar applies DURATION and that default).
    """
    try:
        first_night = _local_date(event.start, zone)
        check_out = _local_date(event.end, zone)
    except OverflowError as error:
        # A date past 9999-12-31: the end of an all-day event on that day, a huge DURATION.
        raise ValueError(str(error)) from None
    # An event within one day, or with its end before its start, still takes its night.
    return first_night, max(check_out, first_night + timedelta(days=1))


def _components(body: bytes) -> Iterator[tuple[str, list[str]]]:
    """Each event and timezone of the calendar as (name, content lines), events without the
    properties that do not decide nights.

    Cheap line work over the whole body, so that parsing, the slow part, goes one component
    at a time and the deadline can be checked between them.
    """
    lines = [line for line in Contentlines.from_ical(body) if line]
    first = lines[0].lstrip("\ufeff").upper() if lines else "nothing"
    if first != "BEGIN:VCALENDAR":
        raise ValueError(f"expected BEGIN:VCALENDAR, found {first[:40]!r}")
    depth, kind, component = 0, "", []
    for line in lines:
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if name == "BEGIN":
            depth += 1
            if depth == 2:
                kind, component = line[6:].strip().upper(), []
        # A timezone whole; an event's own lines, not those of its alarms.
        if kind == "VTIMEZONE" or (kind == "VEVENT" and depth == 2 and name in EVENT_LINES):
            component.append(line)
        if name == "END":
            if depth == 2 and kind in ("VEVENT", "VTIMEZONE"):
                yield kind, component
            if depth == 2:
                kind = ""
            depth -= 1


def _key(text: str) -> str:
    if len(text) <= MAX_UID_LENGTH:
        return text
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _uid_in(lines: list[str]) -> str:
    return next((line[4:].strip() for line in lines if line.upper().startswith("UID:")), "")


def read_events(
    body: bytes, timezone: str, *, today: date, until: date, limits: Limits
) -> FeedReading:
    """Every event of a feed, recurring ones as their occurrences from today until `until`,
    dates as local dates of `timezone`.

    An event that cannot be read is skipped and reported; ValueError when the feed is not
    a calendar or none of its events can be read. FeedError when it takes more than the
    limits allow. Parsing itself cannot be interrupted, so the work is bounded by size
    (FEED_MAX_BYTES, and only the properties that decide nights are parsed), and the
    deadline is checked between events and between occurrences.
    """
    reader = _Reader(ZoneInfo(timezone), today, until, limits)
    by_uid: dict[str, list[Event]] = defaultdict(list)
    seen: set[tuple[str, ...]] = set()
    for kind, lines in _components(body):
        reader.check()
        if kind == "VTIMEZONE":
            # Parsing a timezone registers its TZID for the events that name it.
            with contextlib.suppress(ValueError):
                Timezone.from_ical(lines)
            continue
        # The same event written twice is one event.
        if tuple(lines) in seen:
            continue
        seen.add(tuple(lines))
        try:
            event = Event.from_ical(lines)
        except ValueError as error:
            reader.skip(_uid_in(lines), error)
            continue
        uid = str(event.get("uid", "")).strip()
        if uid:
            by_uid[uid].append(event)
        else:
            # Without a UID the dates identify the event: a move reads as cancel and rebook.
            reader.single("", event, key_of=lambda nights: f"{nights[0]}/{nights[1]}")
    for uid, events in by_uid.items():
        reader.events_of(uid, events)
    reading = reader.reading
    if not reading.events and reading.unreadable:
        uid, error = reading.unreadable[0]
        raise ValueError(
            f"none of its {len(reading.unreadable)} events can be read;"
            f" {uid or '(no UID)'}: {error}"
        )
    return reading


def _recurs(event: Event) -> bool:
    return any(name in event for name in RECURRENCE_PROPERTIES)


class _Reader:
    """Turns parsed events into FeedEvents, within the limits, noting what it skips."""

    def __init__(self, zone: ZoneInfo, today: date, until: date, limits: Limits):
        self.zone, self.today, self.until, self.limits = zone, today, until, limits
        self.reading = FeedReading()
        self.keys: dict[str, tuple[date, date]] = {}
        self.upcoming = 0

    def check(self) -> None:
        if time.monotonic() > self.limits.deadline:
            raise FeedError(
                "feed_read_timeout",
                seconds=f"{self.limits.seconds:g}",
                events=len(self.reading.events),
            )

    def skip(self, uid: str, error: Exception, event: Event | None = None) -> None:
        # icalendar keeps what it could not parse: the property and why, shorter and clearer.
        errors = event.errors if event is not None else []
        why = "; ".join(f"{name}: {message}" for name, message in errors) or str(error)
        self.reading.unreadable.append((uid, why))

    def events_of(self, uid: str, events: list[Event]) -> None:
        """The events of one UID: one event, a recurring one with its moved occurrences,
        or (a fault of the feed, reported) distinct events that share the UID."""
        firsts = [event for event in events if "RECURRENCE-ID" not in event]
        if len(firsts) <= 1:
            if any(_recurs(event) for event in events):
                self.occurrences(uid, uid, events)
            else:
                self.single(uid, events[0], key_of=lambda _: uid)
            return
        self.reading.repeated_uids.append(uid)
        for event in firsts:
            try:
                first_night = _nights(event, self.zone)[0]
            except ValueError as error:
                self.skip(uid, error, event)
                continue
            if _recurs(event):
                self.occurrences(uid, f"{uid}#{first_night}", [event])
            else:
                self.single(uid, event, key_of=lambda nights: f"{uid}#{nights[0]}/{nights[1]}")
        # Moved occurrences cannot be told apart between the series: each keeps its dates.
        for event in events:
            if "RECURRENCE-ID" in event:
                rid = event["RECURRENCE-ID"].to_ical().decode()
                self.single(uid, event, key_of=lambda _, rid=rid: f"{uid}/{rid}")

    def single(self, uid: str, event: Event, key_of) -> None:
        try:
            nights = _nights(event, self.zone)
        except ValueError as error:
            self.skip(uid, error, event)
            return
        self.add(key_of(nights), uid, event, nights)

    def occurrences(self, uid: str, base: str, events: list[Event]) -> None:
        """A recurring event's occurrences that end after today and begin before `until`,
        each keyed by its RECURRENCE-ID: a moved one keeps its key. EXDATEs are left out."""
        calendar = Calendar()
        for event in events:
            calendar.add_component(event)
        # From the day before: an occurrence in another zone may still end today here.
        since = datetime.combine(self.today - timedelta(days=1), datetime.min.time())
        found = []
        try:
            for occurrence in recurring_ical_events.of(calendar).after(since):
                self.check()
                nights = _nights(occurrence, self.zone)
                if nights[0] >= self.until:
                    break
                self.count(nights)
                rid = occurrence.get("RECURRENCE-ID")
                found.append(
                    (f"{base}/{rid.to_ical().decode() if rid else nights[0]}", occurrence, nights)
                )
        except (ValueError, TypeError) as error:
            self.skip(uid, error, events[0])
            return
        for key, occurrence, nights in found:
            self.add(key, uid, occurrence, nights, counted=True)

    def count(self, nights: tuple[date, date]) -> None:
        if nights[1] > self.today:
            self.upcoming += 1
            if self.upcoming > self.limits.max_events:
                raise FeedError("feed_too_many_events", count=self.limits.max_events)

    def add(
        self, key: str, uid: str, event: Event, nights: tuple[date, date], counted: bool = False
    ) -> None:
        if not counted:
            self.count(nights)
        key = _key(key)
        if key in self.keys:
            if self.keys[key] == nights:
                return  # the same nights under the same key: nothing more to block
            # Another event under the same key: its dates set it apart, sync after sync.
            key = _key(f"{key}~{nights[0]}/{nights[1]}")
        self.keys[key] = nights
        self.reading.events.append(
            FeedEvent(
                key=key,
                uid=uid,
                summary=str(event.get("summary", "")).strip(),
                first_night=nights[0],
                check_out=nights[1],
                cancelled=str(event.get("status", "")).upper() == "CANCELLED",
            )
        )
