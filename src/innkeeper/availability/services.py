import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..reservations.models import Night

# The last bookable night is at most this many days after the property's today.
BOOKING_HORIZON_DAYS = 365


def last_bookable_night(today: date) -> date:
    return today + timedelta(days=BOOKING_HORIZON_DAYS)


def nights_of(check_in: date, check_out: date) -> list[date]:
    """The nights of a half-open stay [check_in, check_out)."""
    return [check_in + timedelta(days=i) for i in range((check_out - check_in).days)]


def taken_nights(property_id: int, start: date, end: date) -> set[date]:
    """Taken nights of the property in [start, end): the one overlap predicate."""
    query = select(Night.night).where(
        Night.property_id == property_id, Night.night >= start, Night.night < end
    )
    return set(db.session.scalars(query))


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
