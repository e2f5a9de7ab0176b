"""The host's dashboard: what needs attention across every feature, on one page."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from .availability.models import Night
from .calendars.services import export_link, list_feeds
from .clock import utcnow
from .extensions import db
from .host.auth import current_host, host_required
from .mail.admin import visible_to_host
from .mail.models import OutboxMessage
from .payments.services import overdue_balances
from .properties.models import Property
from .properties.services import list_for_host
from .reservations.models import Reservation, ReservationStatus
from .reservations.services import open_requests
from .web import page_or_fragment

bp = Blueprint("dashboard", __name__)

WEEK = 7
OCCUPANCY_DAYS = 30


@dataclass(frozen=True)
class Occupancy:
    place: Property
    booked: int
    closed: int
    # Nights held for requests waiting for an answer: taken, not yet booked.
    requested: int

    @property
    def percent(self) -> int:
        return round(100 * self.booked / OCCUPANCY_DAYS)


def _coming_and_going(places: list[Property]) -> tuple[list, list]:
    """Confirmed stays arriving, and leaving, today or in the next seven days of each place."""
    # A day's margin each side: the places' own dates may be ahead of or behind UTC's.
    first, last = utcnow().date() - timedelta(days=1), utcnow().date() + timedelta(days=WEEK + 1)
    stays = db.session.scalars(
        select(Reservation)
        .options(joinedload(Reservation.property))
        .where(
            Reservation.status == ReservationStatus.CONFIRMED,
            or_(
                Reservation.check_in.between(first, last),
                Reservation.check_out.between(first, last),
            ),
        )
        .order_by(Reservation.check_in, Reservation.id)
    ).all()
    today = {place.id: place.local_today() for place in places}

    def within_week(prop_id: int, day: date) -> bool:
        start = today.get(prop_id)
        return start is not None and start <= day <= start + timedelta(days=WEEK)

    arrivals = [s for s in stays if within_week(s.property_id, s.check_in)]
    departures = sorted(
        (s for s in stays if within_week(s.property_id, s.check_out)),
        key=lambda s: (s.check_out, s.id),
    )
    return arrivals, departures


def _occupancy(places: list[Property]) -> list[Occupancy]:
    """Nights of the next 30 days booked, held for requests, and closed, per place, in one query."""
    # A day's margin each side: the places' own dates may be ahead of or behind UTC's.
    first = utcnow().date() - timedelta(days=1)
    rows = db.session.execute(
        select(Night.property_id, Night.night, Night.reservation_id, Reservation.status)
        .outerjoin(Reservation, Night.reservation_id == Reservation.id)
        .where(Night.night.between(first, first + timedelta(days=OCCUPANCY_DAYS + 2)))
    ).all()
    windows = {
        place.id: (place.local_today(), place.local_today() + timedelta(days=OCCUPANCY_DAYS))
        for place in places
    }
    booked, requested, closed = Counter(), Counter(), Counter()
    for row in rows:
        window = windows.get(row.property_id)
        if not window or not window[0] <= row.night < window[1]:
            continue
        if row.reservation_id is None:
            closed[row.property_id] += 1
        elif row.status is ReservationStatus.REQUESTED:
            requested[row.property_id] += 1
        else:
            booked[row.property_id] += 1
    return [
        Occupancy(place, booked[place.id], closed[place.id], requested[place.id])
        for place in places
    ]


@bp.get("/host/")
@host_required
def show():
    """Arrivals and departures of the week, occupancy, and what needs the host's attention:
    requests to answer, mail that failed, calendar feeds in trouble."""
    places = list_for_host()
    arrivals, departures = _coming_and_going(places)
    failed_mail = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status == OutboxMessage.FAILED, visible_to_host()
        )
    )
    feeds = list_feeds()
    return page_or_fragment(
        "host/dashboard.html",
        "page",
        host=current_host(),
        places=places,
        arrivals=arrivals,
        departures=departures,
        occupancy=_occupancy(places),
        overdue=overdue_balances(),
        days=OCCUPANCY_DAYS,
        failed_mail=failed_mail,
        requests=open_requests(),
        feeds=feeds,
        troubled_feeds=[f for f in feeds if f.error or f.conflicts],
        # Each subscription's own export link, for the host to give that site.
        feed_links={feed.id: export_link(feed) for feed in feeds},
    )
