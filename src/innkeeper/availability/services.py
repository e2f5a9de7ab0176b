"""The ledger's workflows. Every question "is this night free?" is answered here.

Writers call these inside `write_transaction()` after `lock_property()`; the primary key
of `night` has the last word, so two owners of one night can never both commit.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, DateTime, column, delete, insert, or_, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..activity.models import ACTIONS
from ..activity.services import record
from ..database import lock_property, write_transaction
from ..exceptions import DatesUnavailable, InnkeeperError
from ..extensions import db
from ..money import Money
from ..properties.models import Property, booking_window
from .models import Block, Night

ACTIONS.update(
    {
        "block.created": _l("closed nights of"),
        "block.deleted": _l("reopened nights of"),
    }
)


def nights_of(start: date, end: date) -> list[date]:
    """The nights of a half-open range [start, end)."""
    return [start + timedelta(days=i) for i in range((end - start).days)]


def nights_between(start: date, end: date) -> ColumnElement[bool]:
    """The one overlap predicate: ledger nights in the half-open range [start, end)."""
    return (Night.night >= start) & (Night.night < end)


def taken_nights(property_id: int, start: date, end: date) -> set[date]:
    """Taken nights of the property in [start, end)."""
    query = select(Night.night).where(Night.property_id == property_id, nights_between(start, end))
    return set(db.session.scalars(query))


def refuse_taken(property_id: int, start: date, end: date) -> None:
    """DatesUnavailable (409), naming the nights, when any night of [start, end) is taken."""
    if taken := taken_nights(property_id, start, end):
        raise DatesUnavailable(
            "dates_unavailable", nights=", ".join(n.isoformat() for n in sorted(taken))
        )


def refuse_too_close(prop: Property, start: date, end: date) -> None:
    """DatesUnavailable (409) when a taken night lies within the place's preparation days
    before or after [start, end): the nights the host keeps free between stays.

    Any taken night counts: a stay, a block, another site's booking. Run it under the
    place's lock when booking, like `refuse_taken`.
    """
    gap = timedelta(days=prop.preparation_days)
    if not gap:
        return
    before = taken_nights(prop.id, start - gap, start)
    after = taken_nights(prop.id, end, end + gap)
    if before or after:
        raise DatesUnavailable("too_close_to_a_stay", count=prop.preparation_days)


@dataclass(frozen=True)
class Owner:
    """Who holds a night: a reservation, or a block (the host's, or a feed's when feed_id).

    `reservation_code` names a reservation to the host (in conflicts) and keeps the
    export's event ids stable; it is not needed to take or free nights.
    """

    reservation_id: int | None = None
    block_id: int | None = None
    feed_id: int | None = None
    reservation_code: str | None = None


# Read beside a night only to name its holder (to the host, in conflicts) and, for the
# export, when it was made; these are no models of ours.
_reservation = table(
    "reservation",
    column("id"),
    column("code"),
    column("guest_name"),
    column("check_in", Date()),
    column("check_out", Date()),
    column("created_at", DateTime()),
    column("status"),
)
_feed = table("calendar_feed", column("id"), column("label"))


def _owned_nights():
    return (
        select(
            Night.night,
            Night.reservation_id,
            Night.block_id,
            Block.feed_id,
            _reservation.c.code,
        )
        .outerjoin(Block, Night.block_id == Block.id)
        .outerjoin(_reservation, Night.reservation_id == _reservation.c.id)
    )


def _owner(row) -> Owner:
    return Owner(row.reservation_id, row.block_id, row.feed_id, row.code)


def night_owners(property_id: int, start: date, end: date) -> dict[date, Owner]:
    """Who holds each taken night of the property in [start, end)."""
    rows = db.session.execute(
        _owned_nights().where(Night.property_id == property_id, nights_between(start, end))
    )
    return {row.night: _owner(row) for row in rows}


def take_nights(property_id: int, nights: list[date], owner: Owner) -> None:
    """Write the nights to the ledger for `owner`; DatesUnavailable if another holds one.

    Run it under the property's lock: then only a writer that skipped the lock (or the
    application check) reaches the primary key, which refuses the second owner.
    """
    if not nights:
        return
    rows = [
        {
            "property_id": property_id,
            "night": night,
            "reservation_id": owner.reservation_id,
            "block_id": owner.block_id,
        }
        for night in nights
    ]
    try:
        db.session.execute(insert(Night), rows)
    except IntegrityError:
        raise DatesUnavailable("dates_just_taken") from None


def free_nights(owner: Owner, nights: list[date] | None = None) -> None:
    """Give back the owner's nights (only `nights` of them, when given)."""
    query = delete(Night)
    if owner.reservation_id is not None:
        query = query.where(Night.reservation_id == owner.reservation_id)
    else:
        query = query.where(Night.block_id == owner.block_id)
    if nights is not None:
        query = query.where(Night.night.in_(nights))
    db.session.execute(query)


def block_nights(prop: Property, start: date, end: date, note: str = "") -> Block:
    """Close [start, end) for the host; DatesUnavailable (409) if any night is taken."""
    if start >= end:
        raise InnkeeperError("check_out_before_check_in")
    with write_transaction() as session:
        lock_property(prop.id)
        refuse_taken(prop.id, start, end)
        block = Block(property_id=prop.id, start_date=start, end_date=end, note=note[:200])
        session.add(block)
        session.flush()
        take_nights(prop.id, nights_of(start, end), Owner(block_id=block.id))
        record("block.created", prop.name, property_id=prop.id, changes=_described(block))
    return block


def _described(block: Block) -> dict:
    nights = f"{block.start_date.isoformat()} → {block.end_date.isoformat()}"
    return {"nights": [None, nights], **({"note": [None, block.note]} if block.note else {})}


def unblock(block: Block) -> bool:
    """Reopen the block's nights; the block goes. False when it was gone already."""
    with write_transaction() as session:
        lock_property(block.property_id)
        block = session.get(Block, block.id)
        if block is None:
            return False
        changes = {name: [new, None] for name, (_, new) in _described(block).items()}
        record("block.deleted", block.property.name, property_id=block.property_id, changes=changes)
        session.delete(block)  # its nights go with it (ON DELETE CASCADE)
    return True


@dataclass(frozen=True)
class TakenRange:
    """Consecutive nights of one owner: [start, end), and when the owner was made."""

    start: date
    end: date
    owner: Owner
    created_at: datetime


def unavailable_ranges(property_id: int, since: date) -> list[TakenRange]:
    """Every run of consecutive nights of one owner, for owners holding a night from `since`.

    Derived from the ledger, so whatever holds nights (a stay, a block, a feed's event)
    appears here without a case of its own. A run that began before `since` is whole.
    """
    later = aliased(Night)
    recent = select(later).where(later.property_id == property_id, later.night >= since)
    rows = db.session.execute(
        _owned_nights()
        .add_columns(
            _reservation.c.created_at.label("reservation_created_at"),
            Block.created_at.label("block_created_at"),
        )
        .where(
            Night.property_id == property_id,
            or_(
                Night.reservation_id.in_(recent.with_only_columns(later.reservation_id)),
                Night.block_id.in_(recent.with_only_columns(later.block_id)),
            ),
        )
        .order_by(Night.reservation_id, Night.block_id, Night.night)
    ).all()
    ranges: list[TakenRange] = []
    for owner, owned in groupby(rows, key=_owner):
        owned = list(owned)
        created_at = owned[0].reservation_created_at or owned[0].block_created_at
        nights = [row.night for row in owned]
        run_start = previous = nights[0]
        for night in nights[1:]:
            if night != previous + timedelta(days=1):
                ranges.append(
                    TakenRange(run_start, previous + timedelta(days=1), owner, created_at)
                )
                run_start = night
            previous = night
        ranges.append(TakenRange(run_start, previous + timedelta(days=1), owner, created_at))
    return sorted(ranges, key=lambda r: (r.start, r.end))


@dataclass(frozen=True)
class BookableNights:
    """The place's rules a calendar shows beside the ledger: the first and last night a
    new stay may take, and the nights kept free on each side of a taken night."""

    first: date
    last: date
    preparation_days: int = 0

    @classmethod
    def under(
        cls,
        today: date,
        advance_notice_days: int,
        booking_horizon_days: int,
        preparation_days: int,
    ) -> "BookableNights":
        first, last = booking_window(today, advance_notice_days, booking_horizon_days)
        return cls(first, last, preparation_days)

    @classmethod
    def of(cls, prop: Property, today: date) -> "BookableNights":
        return cls.under(
            today, prop.advance_notice_days, prop.booking_horizon_days, prop.preparation_days
        )


@dataclass(frozen=True)
class NightTerms:
    """What the prices say of the nights a calendar shows, handed in by its caller (the
    ledger knows no prices): each night's rate, and the shortest and longest stay."""

    rates: dict[date, Money]
    min_nights: int
    max_nights: int
    # Nights where a season asks for another minimum than the place's.
    season_min_nights: dict[date, int] = field(default_factory=dict)

    def min_from(self, night: date) -> int:
        return self.season_min_nights.get(night, self.min_nights)


NO_TERMS = NightTerms(rates={}, min_nights=1, max_nights=366)


@dataclass(frozen=True)
class CalendarDay:
    date: date
    # The night starting this day can be booked (the contract's data-available).
    available: bool
    # A stay of the shortest length allowed can start here.
    can_start: bool = False
    # The night before is bookable, so a stay can end this day.
    can_end: bool = False
    rate: Money | None = None
    # Only when a season changes the place's minimum stay.
    min_nights: int | None = None


@dataclass(frozen=True)
class MonthCalendar:
    first: date
    # Weeks of seven cells, Monday first; None pads the days of other months.
    weeks: list[list[CalendarDay | None]]
    previous: date
    next: date
    min_nights: int = 1
    max_nights: int = 366


def month_calendar(
    property_id: int,
    first: date,
    bookable: BookableNights,
    terms: NightTerms = NO_TERMS,
    first_weekday: int = calendar.MONDAY,
) -> MonthCalendar:
    """The month starting at `first`, each day marked by whether its night is bookable,
    whether a stay may start (its shortest length fits) or end there, and its rate; its
    weeks begin on `first_weekday` (the reader's locale decides).

    A night within the preparation days of a taken night is not bookable: no stay may
    take it.
    """
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    end = first + timedelta(days=days_in_month)
    gap = bookable.preparation_days
    longest_min = max([terms.min_nights, *terms.season_min_nights.values()])
    taken = taken_nights(
        property_id, first - timedelta(days=gap + 1), end + timedelta(days=gap + longest_min)
    )
    closed = {night + timedelta(days=i) for night in taken for i in range(-gap, gap + 1)}

    def free(night: date) -> bool:
        return bookable.first <= night <= bookable.last and night not in closed

    def day_of(day: date) -> CalendarDay:
        shortest = terms.min_from(day)
        return CalendarDay(
            day,
            available=free(day),
            can_start=all(free(day + timedelta(days=i)) for i in range(shortest)),
            can_end=free(day - timedelta(days=1)),
            rate=terms.rates.get(day),
            min_nights=terms.season_min_nights.get(day),
        )

    weeks = [
        [day_of(day) if day.month == first.month else None for day in week]
        for week in calendar.Calendar(first_weekday).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return MonthCalendar(
        first=first,
        weeks=weeks,
        previous=previous,
        next=end,
        min_nights=terms.min_nights,
        max_nights=terms.max_nights,
    )


@dataclass(frozen=True)
class Holding:
    """Who holds a run of nights, as the host's calendar names it."""

    kind: str  # "stay", "block" (the host's) or "calendar" (another site's)
    start: date
    end: date
    label: str  # the guest's name, the block's note, the calendar's name
    reservation_code: str | None = None
    block_id: int | None = None
    # A stay's reservation status, as stored ("requested" while the host has not answered).
    status: str | None = None


@dataclass(frozen=True)
class HostDay:
    date: date
    holding: Holding | None
    past: bool

    @property
    def next(self) -> date:
        return self.date + timedelta(days=1)


@dataclass(frozen=True)
class HostMonth:
    first: date
    weeks: list[list[HostDay | None]]
    holdings: list[Holding]
    previous: date
    next: date


def host_month(
    prop: Property, first: date, today: date, first_weekday: int = calendar.MONDAY
) -> HostMonth:
    """The month as the host sees it: each night with whoever holds it, its weeks
    beginning on `first_weekday`."""
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    end = first + timedelta(days=days_in_month)
    rows = db.session.execute(
        select(
            Night.night,
            Night.reservation_id,
            Night.block_id,
            Block.feed_id,
            Block.note,
            Block.start_date,
            Block.end_date,
            _reservation.c.code,
            _reservation.c.guest_name,
            _reservation.c.check_in,
            _reservation.c.check_out,
            _reservation.c.status,
            _feed.c.label,
        )
        .outerjoin(Block, Night.block_id == Block.id)
        .outerjoin(_reservation, Night.reservation_id == _reservation.c.id)
        .outerjoin(_feed, Block.feed_id == _feed.c.id)
        .where(Night.property_id == prop.id, nights_between(first, end))
        .order_by(Night.night)
    ).all()
    held: dict[date, Holding] = {}
    holdings: dict[tuple, Holding] = {}
    for row in rows:
        key = (row.reservation_id, row.block_id)
        if key not in holdings:
            holdings[key] = _holding(row)
        held[row.night] = holdings[key]
    weeks = [
        [
            HostDay(day, held.get(day), day < today) if day.month == first.month else None
            for day in week
        ]
        for week in calendar.Calendar(first_weekday).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    ordered = sorted(holdings.values(), key=lambda h: (h.start, h.end))
    return HostMonth(first, weeks, ordered, previous, end)


def _holding(row) -> Holding:
    if row.reservation_id is not None:
        return Holding(
            "stay",
            row.check_in,
            row.check_out,
            row.guest_name,
            reservation_code=row.code,
            status=row.status,
        )
    kind = "calendar" if row.feed_id is not None else "block"
    label = row.label if row.feed_id is not None else row.note
    return Holding(kind, row.start_date, row.end_date, label or "", block_id=row.block_id)
