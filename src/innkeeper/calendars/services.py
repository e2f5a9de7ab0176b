"""Other sites' calendars: subscribe a property to a feed, and import its events as blocks."""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..activity.models import ACTIONS
from ..activity.services import record
from ..availability.models import Block
from ..availability.services import (
    Owner,
    TakenRange,
    free_nights,
    night_owners,
    nights_of,
    take_nights,
    unavailable_ranges,
)
from ..clock import utcnow
from ..database import lock_property, write_transaction
from ..exceptions import FeedError, NotFound
from ..extensions import db
from ..properties.models import Property, last_bookable_night
from ..web import external_url, site_domain
from . import notifications
from .fetch import Fetched, fetch, resolve
from .ics import (
    ExportEvent,
    FeedReading,
    Limits,
    export_uid,
    is_export_uid,
    is_own_uid,
    opaque,
    place_tag,
    read_events,
    run_uid,
)
from .models import CONFLICTS_SHOWN, CalendarFeed, describe_conflict

log = logging.getLogger(__name__)

ACTIONS.update(
    {
        "calendar.added": _l("subscribed to the calendar"),
        "calendar.moved": _l("changed the address of the calendar"),
        "calendar.removed": _l("unsubscribed from the calendar"),
    }
)

# A feed that suddenly answers with no event still to come keeps its blocks until it has
# stayed so this long: a glitch at the other site must not free every night at once.
EMPTY_FEED_GRACE = timedelta(hours=6)
# Blocks hold their nights this far past the booking horizon, so that each night is held
# before it can be booked here, even while the feed goes unsynced for a while.
HORIZON_MARGIN = timedelta(days=60)

# Default labels: a known site by its registered name (the label before the public suffix).
SITE_NAMES = {
    "airbnb": "Airbnb",
    "booking": "Booking.com",
    "vrbo": "Vrbo",
    "homeaway": "Vrbo",
    "google": "Google Calendar",
}
# Second-level suffixes under a country code: airbnb.co.uk, airbnb.com.au.
SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov"}


def default_label(host: str) -> str:
    """The site's name for a known site (www.airbnb.co.uk: Airbnb), else the host without www."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        labels = labels[:-1]
    if len(labels) >= 2 and labels[-2] in SITE_NAMES:
        return SITE_NAMES[labels[-2]]
    return host.removeprefix("www.")


def add_feed(slug: str, url: str, label: str | None = None) -> CalendarFeed:
    """Subscribe a property to a feed; its events block nights from the next sync on.

    A host's subscription (on a request) goes in the activity log, as its removal does.
    """
    url = url.strip()
    property_id = db.session.scalar(select(Property.id).filter_by(slug=slug))
    if property_id is None:
        raise FeedError("feed_property_unknown", slug=slug)
    target = resolve(url, current_app.config["FEED_ALLOW_PRIVATE"])
    with write_transaction() as session:
        if session.scalar(select(CalendarFeed.id).filter_by(property_id=property_id, url=url)):
            raise FeedError("feed_exists", slug=slug)
        feed = CalendarFeed(
            property_id=property_id, url=url, label=(label or default_label(target.host))[:100]
        )
        session.add(feed)
        session.flush()
        record("calendar.added", feed.label, property_id=property_id, changes={"url": [None, url]})
    return feed


def change_feed_url(feed_id: int, url: str) -> CalendarFeed:
    """Point a subscription at another address; its blocks and its own export link stay."""
    url = url.strip()
    resolve(url, current_app.config["FEED_ALLOW_PRIVATE"])
    with write_transaction() as session:
        feed = session.get(CalendarFeed, feed_id)
        if feed is None:
            raise FeedError("feed_unknown", id=feed_id)
        taken = select(CalendarFeed.id).filter_by(property_id=feed.property_id, url=url)
        if session.scalar(taken.where(CalendarFeed.id != feed_id)):
            raise FeedError("feed_exists", slug=feed.property.slug)
        if feed.url != url:
            record(
                "calendar.moved",
                feed.label,
                property_id=feed.property_id,
                changes={"url": [feed.url, url]},
            )
        feed.url, feed.validators = url, None
    return feed


def list_feeds(slug: str | None = None) -> list[CalendarFeed]:
    query = (
        select(CalendarFeed).join(CalendarFeed.property).order_by(Property.slug, CalendarFeed.id)
    )
    if slug is not None:
        if db.session.scalar(select(Property.id).filter_by(slug=slug)) is None:
            raise FeedError("feed_property_unknown", slug=slug)
        query = query.where(Property.slug == slug)
    return list(db.session.scalars(query))


def remove_feed(feed_id: int) -> int:
    """Unsubscribe: the feed's blocks go and their nights are free again; returns how many."""
    with write_transaction() as session:
        feed = session.get(CalendarFeed, feed_id)
        if feed is None:
            raise FeedError("feed_unknown", id=feed_id)
        lock_property(feed.property_id)
        removed = len(feed.blocks)
        record("calendar.removed", feed.label, property_id=feed.property_id)
        session.delete(feed)
    return removed


def get_feed(prop: Property, feed_id: int) -> CalendarFeed:
    """One of the place's subscriptions, for the host; NotFound for any other."""
    feed = db.session.get(CalendarFeed, feed_id)
    if feed is None or feed.property_id != prop.id:
        raise NotFound("feed_unknown", id=feed_id)
    return feed


@dataclass
class FeedSync:
    """What one sync did: events added, moved and removed, events in conflict, or an error."""

    added: int = 0
    moved: int = 0
    removed: int = 0
    conflicts: int = 0
    # The error record ({"key", "params"}) when the sync failed.
    error: dict | None = None


@dataclass
class SyncReport:
    synced: int = 0
    failed: int = 0
    added: int = 0
    moved: int = 0
    removed: int = 0
    conflicts: int = 0

    def add(self, result: FeedSync) -> None:
        if result.error:
            self.failed += 1
        else:
            self.synced += 1
        self.added += result.added
        self.moved += result.moved
        self.removed += result.removed
        self.conflicts += result.conflicts

    def summary(self) -> str:
        text = f"calendars synced: {self.synced}, failed: {self.failed}"
        if self.added or self.moved or self.removed:
            text += f" (events added: {self.added}, moved: {self.moved}, removed: {self.removed})"
        if self.conflicts:
            text += f", events on nights taken here: {self.conflicts} (see `calendar list`)"
        return text


def sync_feeds(due_only: bool = False) -> SyncReport:
    """Sync every feed, or only those not checked for FEED_SYNC_INTERVAL_SECONDS.

    One feed's failure, whatever it is, is recorded on it and does not stop the others.
    """
    query = select(CalendarFeed.id).order_by(CalendarFeed.id)
    if due_only:
        interval = timedelta(seconds=current_app.config["FEED_SYNC_INTERVAL_SECONDS"])
        query = query.where(
            or_(CalendarFeed.checked_at.is_(None), CalendarFeed.checked_at <= utcnow() - interval)
        )
    report = SyncReport()
    for feed_id in db.session.scalars(query).all():
        try:
            feed = db.session.get(CalendarFeed, feed_id)
            result = sync_feed(feed) if feed else FeedSync()
        except Exception as error:
            log.exception("Calendar feed %s could not be synced", feed_id)
            db.session.rollback()
            result = FeedSync(
                error=FeedError("feed_internal_error", error=type(error).__name__).as_record()
            )
            # Checked all the same, or it would be retried every round. Its nights are left
            # alone, as the fault may lie there; HORIZON_MARGIN covers them meanwhile.
            _record_error(feed_id, result.error)
        report.add(result)
    return report


def sync_feed(feed: CalendarFeed) -> FeedSync:
    """Fetch the feed and make its blocks match its events.

    A feed that cannot be fetched or read changes no block: the error is recorded and the
    blocks go on holding their nights as the days pass.
    """
    config = current_app.config
    feed_id, property_id, url = feed.id, feed.property_id, feed.url
    timezone, today = feed.property.timezone, feed.property.local_today()
    timeout = config["FEED_TIMEOUT_SECONDS"]
    limits = Limits(time.monotonic() + timeout, timeout, config["FEED_MAX_EVENTS"])
    # Hold no transaction open while waiting on another server.
    db.session.rollback()
    # Asked with what the server said of its last answer, it may answer 304 Not Modified.
    # Once a day the feed is read whole all the same: occurrences of recurring events come
    # within reach as the days pass.
    validators = feed.validators if (feed.validators or {}).get("on") == str(today) else None
    # Hold no transaction open while waiting on another server.
    db.session.rollback()
    try:
        fetched = fetch(
            url,
            allow_private=config["FEED_ALLOW_PRIVATE"],
            timeout=timeout,
            max_bytes=config["FEED_MAX_BYTES"],
            validators=validators,
        )
        reading = None
        if fetched.body is not None:
            try:
                reading = read_events(
                    fetched.body, timezone, today=today, until=reach(today), limits=limits
                )
            except ValueError as error:
                raise FeedError("feed_unreadable", error=str(error)) from None
    except FeedError as error:
        log.warning("Calendar feed %s not synced: %s", feed_id, error)
        return _record_failure(feed_id, property_id, error.as_record())
    with write_transaction() as session:
        lock_property(property_id)
        feed = session.get(CalendarFeed, feed_id)
        if feed is None:
            return FeedSync()
        if reading is None:
            return _unchanged(feed)
        feed.validators = _validators(fetched, today)
        return _import(session, feed, reading)


def _validators(fetched: Fetched, today: date) -> dict | None:
    if not (fetched.etag or fetched.last_modified):
        return None
    return {"etag": fetched.etag, "last_modified": fetched.last_modified, "on": str(today)}


def reach(today: date) -> date:
    """The day after the last night that feeds' blocks hold: HORIZON_MARGIN past the horizon."""
    return last_bookable_night(today) + timedelta(days=1) + HORIZON_MARGIN


def _record_error(feed_id: int, error: dict) -> None:
    with write_transaction() as session:
        if feed := session.get(CalendarFeed, feed_id):
            feed.checked_at = utcnow()
            feed.error = error


def _record_failure(feed_id: int, property_id: int, error: dict) -> FeedSync:
    """Record the error; the stored blocks take the nights that came within reach since."""
    with write_transaction() as session:
        lock_property(property_id)
        feed = session.get(CalendarFeed, feed_id)
        if feed is None:
            return FeedSync(error=error)
        feed.checked_at = utcnow()
        feed.error = error
        conflicts = _hold_nights(feed, feed.blocks, feed.property.local_today())
    return FeedSync(error=error, conflicts=conflicts)


def _unchanged(feed: CalendarFeed) -> FeedSync:
    """The feed is as it was: its blocks take the nights that came within reach since."""
    feed.checked_at = feed.last_synced_at = utcnow()
    feed.error = None
    return FeedSync(conflicts=_hold_nights(feed, feed.blocks, feed.property.local_today()))


def _import(session: Session, feed: CalendarFeed, reading: FeedReading) -> FeedSync:
    """Give each event a block: new keys added, moved ones updated, vanished ones removed."""
    now = utcnow()
    feed.checked_at = now
    feed.notices = reading.notices()
    today = feed.property.local_today()
    # Our own events, come back through the other site, are ours already.
    wanted = {
        event.key: event
        for event in sorted(reading.events, key=lambda e: (e.first_night, e.key))
        if not event.cancelled
        and event.check_out > today
        and not is_own_uid(event.uid, feed.property_id)
    }

    holding = [block for block in feed.blocks if block.end_date > today]
    if wanted or not holding:
        feed.empty_since = None
    else:
        feed.empty_since = feed.empty_since or now
        if now - feed.empty_since < EMPTY_FEED_GRACE:
            feed.error = FeedError(
                "feed_suddenly_empty",
                count=len(holding),
                hours=f"{EMPTY_FEED_GRACE.total_seconds() / 3600:g}",
            ).as_record()
            log.warning("Calendar feed %s has no event still to come; no block changed", feed.id)
            conflicts = _hold_nights(feed, feed.blocks, today)
            return FeedSync(error=feed.error, conflicts=conflicts)

    result = FeedSync()
    blocks: dict[str, Block] = {}
    for block in list(feed.blocks):
        if block.uid in wanted:
            blocks[block.uid] = block
        else:
            # Gone from the feed (a cancellation) or over: its nights go with the block.
            feed.blocks.remove(block)
            result.removed += 1
    for key, event in wanted.items():
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = Block(property_id=feed.property_id, uid=key)
            feed.blocks.append(block)
            result.added += 1
        elif (block.start_date, block.end_date) != (event.first_night, event.check_out):
            result.moved += 1
        block.start_date, block.end_date = event.first_night, event.check_out
        block.note = (f"{feed.label}: {event.summary}" if event.summary else feed.label)[:200]
    session.flush()

    result.conflicts = _hold_nights(feed, list(blocks.values()), today)
    feed.event_count = len(wanted)
    feed.last_synced_at = now
    feed.error = None
    return result


def _hold_nights(feed: CalendarFeed, blocks: list[Block], today: date) -> int:
    """Take the blocks' nights and keep the feed's conflicts; the hosts hear of a new one.

    Returns how many events are in conflict.
    """
    conflicts = _take_nights(feed, blocks, today)
    if conflicts and conflicts != feed.conflicts:
        log.warning(
            "Calendar feed %s has %s events on nights taken here, the first:\n%s",
            feed.id,
            len(conflicts),
            "\n".join(describe_conflict(c) for c in conflicts[:CONFLICTS_SHOWN]),
        )
        notifications.calendar_conflict(feed, conflicts)
    feed.conflicts = conflicts
    return len(conflicts)


def _holder(owner: Owner, labels: dict[int, str]) -> dict:
    """Who holds a night, as a conflict records it."""
    if owner.reservation_code is not None:
        return {"reservation": owner.reservation_code}
    if owner.feed_id is not None:
        return {"calendar": labels.get(owner.feed_id, "")}
    return {"host": True}


def _take_nights(feed: CalendarFeed, blocks: list[Block], today: date) -> list[dict]:
    """Give each block the free nights of its range, today to HORIZON_MARGIN past the horizon.

    A night someone else holds (a reservation, the host, another feed) stays theirs and is
    reported as a conflict. Nights before today are not touched here; they go with their
    block.
    """
    end = reach(today)
    owners = night_owners(feed.property_id, today, end)
    wanted = {
        block.id: set(nights_of(max(block.start_date, today), min(block.end_date, end)))
        for block in blocks
    }
    # Nights a moved or shortened event no longer covers, given back first so that another
    # event of this feed can take them.
    stale: dict[int, list[date]] = {}
    for night, owner in owners.items():
        if owner.block_id in wanted and night not in wanted[owner.block_id]:
            stale.setdefault(owner.block_id, []).append(night)
    for block_id, nights in stale.items():
        free_nights(Owner(block_id=block_id), nights)
        for night in nights:
            del owners[night]

    labels = dict(
        db.session.execute(
            select(CalendarFeed.id, CalendarFeed.label).filter_by(property_id=feed.property_id)
        ).all()
    )
    conflicts = []
    for block in sorted(blocks, key=lambda b: (b.start_date, b.uid)):
        free: list[date] = []
        held: list[tuple[date, Owner]] = []
        for night in sorted(wanted[block.id]):
            owner = owners.get(night)
            if owner is None:
                free.append(night)
                owners[night] = Owner(block_id=block.id, feed_id=feed.id)
            elif owner.feed_id != feed.id:
                held.append((night, owner))
        take_nights(feed.property_id, free, Owner(block_id=block.id))
        if held:
            holders = {tuple(_holder(o, labels).items()): _holder(o, labels) for _, o in held}
            conflicts.append(
                {
                    "event": block.note,
                    "start": block.start_date.isoformat(),
                    "end": block.end_date.isoformat(),
                    "nights": [night.isoformat() for night, _ in held],
                    "holders": list(holders.values()),
                }
            )
    return conflicts


# --- the availability feed we export ---------------------------------------------------

# Ranges that ended this long ago are left out of the feed.
FEED_HISTORY = timedelta(days=30)
# Changes whenever the feed's text would change for the same nights (a new UID format).
EXPORT_FORMAT = 2


def export_feed_id(prop: Property, token: str) -> int:
    """The subscription of the place whose own export link has this token; 404 otherwise."""
    feed_id = db.session.scalar(
        select(CalendarFeed.id).filter_by(property_id=prop.id, export_token=token)
    )
    if feed_id is None:
        raise NotFound("feed_export_unknown")
    return feed_id


def export_link(feed: CalendarFeed) -> str:
    """The subscription's own export link: the place's calendar without that feed's events."""
    return external_url("calendars.feed", slug=feed.property.slug, **{"for": feed.export_token})


def export_etag(prop: Property, without_feed: int | None) -> str:
    """Changes with the place's nights (its availability version), its name, the day (old
    ranges leave the feed) and whatever makes its UIDs."""
    key = (
        EXPORT_FORMAT,
        prop.id,
        prop.availability_version,
        prop.name,
        prop.local_today(),
        without_feed,
        place_tag(prop.id),
        site_domain(),
    )
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def export_events(prop: Property, without_feed: int | None = None) -> list[ExportEvent]:
    """Every unavailable range of the place, but those of `without_feed`, with stable UIDs."""
    imported = dict(
        db.session.execute(
            select(Block.id, Block.uid).where(
                Block.property_id == prop.id, Block.feed_id.is_not(None)
            )
        ).all()
    )
    events, uids = [], set()
    for taken in unavailable_ranges(prop.id, prop.local_today() - FEED_HISTORY):
        if without_feed is not None and taken.owner.feed_id == without_feed:
            continue
        uid = _export_uid(prop.id, taken, imported)
        # An event whose nights are split by a conflict: one event per run.
        if uid in uids:
            uid = run_uid(uid, taken.start)
        uids.add(uid)
        events.append(ExportEvent(uid, taken.start, taken.end, taken.created_at))
    return events


def _export_uid(property_id: int, taken: TakenRange, imported: dict[int, str]) -> str:
    owner = taken.owner
    if owner.reservation_code:
        return export_uid("stay", opaque(owner.reservation_code), property_id)
    if owner.feed_id is None:
        return export_uid("block", str(owner.block_id), property_id)
    # From another place that runs Innkeeper: its own UID, so that it knows its event.
    source = imported[owner.block_id]
    if is_export_uid(source):
        return source
    return export_uid("feed", opaque(f"{owner.feed_id}:{source}"), property_id)
