"""The one source of "now" and "today": tests travel in time through it with time-machine."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column stores."""
    return now().replace(tzinfo=None)


def today_in(timezone: str, moment: datetime | None = None) -> date:
    """The date in `timezone` at `moment` (now by default): the date a place counts nights in."""
    return (moment or now()).astimezone(ZoneInfo(timezone)).date()
