from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..database import utcnow
from ..extensions import db

FRIDAY, SATURDAY = 4, 5


def local_today(timezone: str, now: datetime | None = None) -> date:
    """Today's date in the timezone: the date a property's nights are counted in."""
    zone = ZoneInfo(timezone)
    return (now.astimezone(zone) if now else datetime.now(zone)).date()


class Property(db.Model):
    """A place to rent. Money is kept in the smallest unit of `currency` (cents; yen)."""

    __table_args__ = (
        CheckConstraint("nightly_rate_cents >= 0", name="nightly_rate_not_negative"),
        CheckConstraint("weekend_rate_cents >= 0", name="weekend_rate_not_negative"),
        CheckConstraint("cleaning_fee_cents >= 0", name="cleaning_fee_not_negative"),
        CheckConstraint("min_nights >= 1", name="min_nights_positive"),
        CheckConstraint("max_guests >= 1", name="max_guests_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # [{"src": "photos/x.svg", "alt": "..."}], src relative to the static folder.
    photos: Mapped[list[dict]] = mapped_column(JSON, default=list)
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    nightly_rate_cents: Mapped[int]
    weekend_rate_cents: Mapped[int]
    cleaning_fee_cents: Mapped[int] = mapped_column(default=0)
    min_nights: Mapped[int] = mapped_column(default=1)
    max_guests: Mapped[int]
    published: Mapped[bool] = mapped_column(default=True)
    # Bumped by database triggers whenever a night of this property is taken or freed,
    # so a rendered calendar can be reused until it changes.
    availability_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocks: Mapped[list["Block"]] = relationship(back_populates="property")

    @validates("timezone")
    def _known_timezone(self, _key: str, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"Unknown timezone {value!r}; use an IANA name like Europe/Lisbon.")
        return value

    def local_today(self, now: datetime | None = None) -> date:
        return local_today(self.timezone, now)

    def rate_for(self, night: date) -> int:
        """Price of one night in cents: Friday and Saturday nights take the weekend rate."""
        if night.weekday() in (FRIDAY, SATURDAY):
            return self.weekend_rate_cents
        return self.nightly_rate_cents

    def __repr__(self) -> str:
        return f"<Property {self.slug}>"


class Block(db.Model):
    """Nights the host closed, or that a calendar of another site reports as taken."""

    __table_args__ = (
        CheckConstraint("start_date < end_date", name="dates_in_order"),
        # One block per event of a feed; a block the host made has neither.
        Index("ix_block_feed_uid", "feed_id", "uid", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="CASCADE"))
    # Half-open like a stay: start_date is the first night, end_date the day after the last.
    start_date: Mapped[date]
    end_date: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the block mirrors an event of another site's calendar: its feed and UID.
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_feed.id", ondelete="CASCADE"))
    uid: Mapped[str | None] = mapped_column(String(255))

    property: Mapped[Property] = relationship(back_populates="blocks")
