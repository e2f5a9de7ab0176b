"""The ledger's workflows. Every question "is this night free?" is answered here.

Writers call these inside `write_transaction()` after `lock_property()`; the primary key
of `night` has the last word, so two owners of one night can never both commit.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy import ColumnElement, DateTime, column, delete, insert, or_, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..database import lock_property, write_transaction
from ..exceptions import DatesUnavailable, InnkeeperError
from ..extensions import db
from ..properties.models import Property, last_bookable_night
from .models import Block, Night


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


# Read beside a night only for the code that names its holder and, for the export, when
# it was made; this is no model of ours.
_reservation = table("reservation", column("id"), column("code"), column("created_at", DateTime()))


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
    return block


def unblock(block: Block) -> None:
    """Reopen the block's nights; the block goes."""
    with write_transaction() as session:
        lock_property(block.property_id)
        block = session.get(Block, block.id)
        if block is not None:
            session.delete(block)  # its nights go with it (ON DELETE CASCADE)


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
class CalendarDay:
    date: date
    available: bool


@dataclass(frozen=True)
class MonthCalendar:
    first: date
    # Weeks of seven cells, Monday first; None pads the days of other months.
    weeks: list[list[CalendarDay | None]]
    previous: date
    next: date


def month_calendar(property_id: int, first: date, today: date) -> MonthCalendar:
    """The month starting at `first`, each day marked by whether its night is bookable."""
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    end = first + timedelta(days=days_in_month)
    taken = taken_nights(property_id, first, end)
    horizon = last_bookable_night(today)
    weeks = []
    for week in calendar.Calendar(calendar.MONDAY).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                CalendarDay(day, today <= day <= horizon and day not in taken)
                if day.month == first.month
                else None
                for day in week
            ]
        )
    previous = (first - timedelta(days=1)).replace(day=1)
    return MonthCalendar(first=first, weeks=weeks, previous=previous, next=end)
