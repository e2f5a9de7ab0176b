from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..money import Money
from ..properties.models import PERCENT_SCALE, Property


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


class Coupon(db.Model):
    """A code a guest types for a discount: a percentage, or an amount off one place's price.

    An amount is in a place's currency, so a coupon with one always names its place. The
    dates bound the check-in, both included. `uses` counts the bookings that took it.
    """

    __table_args__ = (
        CheckConstraint(
            "(percent_off_millipercent IS NULL) <> (amount_off_minor IS NULL)",
            name="percent_or_amount",
        ),
        CheckConstraint(
            "percent_off_millipercent IS NULL OR percent_off_millipercent BETWEEN 1000 AND 100000",
            name="percent_in_range",
        ),
        CheckConstraint("amount_off_minor IS NULL OR amount_off_minor > 0", name="amount_positive"),
        CheckConstraint(
            "amount_off_minor IS NULL OR property_id IS NOT NULL", name="amount_names_a_place"
        ),
        CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until",
            name="dates_in_order",
        ),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_positive"),
        CheckConstraint(
            "uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)", name="uses_counted"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Upper-case letters, digits and hyphens: typed in any case, stored in capitals.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    percent_off_millipercent: Mapped[int | None]
    amount_off_minor: Mapped[int | None]
    # None: every place.
    property_id: Mapped[int | None] = mapped_column(
        ForeignKey("property.id", ondelete="CASCADE"), index=True
    )
    # The first and the last check-in day it takes; None: no bound.
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    # None: as many as guests like.
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def percent_off(self) -> Decimal | None:
        if self.percent_off_millipercent is None:
            return None
        return Decimal(self.percent_off_millipercent) / PERCENT_SCALE

    @property
    def amount_off(self) -> Money | None:
        if self.amount_off_minor is None:
            return None
        return Money(self.amount_off_minor, self.property.currency)

    @property
    def used_up(self) -> bool:
        return self.max_uses is not None and self.uses >= self.max_uses

    def takes_check_in(self, check_in: date) -> bool:
        """Whether a stay arriving that day may use it."""
        return (self.valid_from is None or self.valid_from <= check_in) and (
            self.valid_until is None or check_in <= self.valid_until
        )

    def __repr__(self) -> str:
        return f"<Coupon {self.code}>"

    # Last in the class body: the name would otherwise shadow the builtin decorator above.
    property: Mapped[Property | None] = relationship()
