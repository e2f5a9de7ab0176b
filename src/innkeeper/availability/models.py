from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..properties.models import Property


class Night(db.Model):
    """One row per taken night of a property, and who holds it: a reservation or a block.

    The primary key (property_id, night) is what makes a double booking impossible:
    two transactions that take the same night cannot both commit, on any engine.
    """

    __table_args__ = (
        CheckConstraint("(reservation_id IS NULL) <> (block_id IS NULL)", name="one_owner"),
    )

    property_id: Mapped[int] = mapped_column(
        ForeignKey("property.id", ondelete="CASCADE"), primary_key=True
    )
    night: Mapped[date] = mapped_column(primary_key=True)
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE"), index=True
    )
    block_id: Mapped[int | None] = mapped_column(
        ForeignKey("block.id", ondelete="CASCADE"), index=True
    )


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

    property: Mapped[Property] = relationship()
