from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..money import Money
from ..properties.models import Property


class Season(db.Model):
    """Nights of a place priced at their own rates; a stay that begins in one keeps its minimum.

    Half-open like a stay: start_date is the first night, end_date the day after the last.
    """

    __table_args__ = (
        CheckConstraint("start_date < end_date", name="dates_in_order"),
        CheckConstraint("nightly_rate_minor >= 0", name="nightly_rate_not_negative"),
        CheckConstraint("weekend_rate_minor >= 0", name="weekend_rate_not_negative"),
        CheckConstraint("min_nights IS NULL OR min_nights >= 1", name="min_nights_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(
        ForeignKey("property.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date]
    end_date: Mapped[date]
    nightly_rate_minor: Mapped[int]
    # Friday and Saturday nights.
    weekend_rate_minor: Mapped[int]
    # None: the place's own minimum.
    min_nights: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def nightly_rate(self) -> Money:
        return Money(self.nightly_rate_minor, self.property.currency)

    @property
    def weekend_rate(self) -> Money:
        return Money(self.weekend_rate_minor, self.property.currency)

    @property
    def last_night(self) -> date:
        return self.end_date - timedelta(days=1)

    def holds(self, night: date) -> bool:
        return self.start_date <= night < self.end_date

    def __repr__(self) -> str:
        return f"<Season {self.property_id} {self.start_date}..{self.end_date}>"

    # Last in the class body: the name would otherwise shadow the builtin decorator above.
    # Each place's seasons, soonest first, as `prop.seasons`.
    property: Mapped[Property] = relationship(
        backref=backref("seasons", order_by="Season.start_date", passive_deletes=True)
    )


class SeasonNight(db.Model):
    """One row per night of a season: the primary key keeps a place's seasons from overlapping.

    The same guarantee as the night ledger's: two seasons that share a night cannot both be
    written, on any engine, whatever the application checked before.
    """

    property_id: Mapped[int] = mapped_column(
        ForeignKey("property.id", ondelete="CASCADE"), primary_key=True
    )
    night: Mapped[date] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("season.id", ondelete="CASCADE"), index=True)
