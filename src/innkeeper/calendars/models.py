from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import utcnow
from ..extensions import db
from ..properties.models import Block, Property


class CalendarFeed(db.Model):
    """Another site's iCalendar feed of a property; each of its events becomes a Block."""

    __table_args__ = (UniqueConstraint("property_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last attempt, and the last one that succeeded.
    checked_at: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Events imported by the last sync, and the nights they wanted that were already taken.
    event_count: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[str] = mapped_column(Text, default="")
    # Since when the feed has answered with no event still to come while its blocks hold nights.
    empty_since: Mapped[datetime | None]

    property: Mapped[Property] = relationship()
    blocks: Mapped[list[Block]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by=Block.start_date
    )

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.label}>"
