import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..availability.models import Block
from ..clock import utcnow
from ..exceptions import describe, describe_record
from ..extensions import db
from ..properties.models import Property

# Conflicts shown in a mail or on the dashboard; `calendar list` shows them all.
CONFLICTS_SHOWN = 5


def describe_holder(holder: dict) -> str:
    if "reservation" in holder:
        return describe("holder_reservation", code=holder["reservation"])
    if "calendar" in holder:
        return describe("holder_calendar", label=holder["calendar"])
    return describe("holder_host")


def describe_conflict(conflict: dict) -> str:
    """One conflict as a sentence in the reader's language."""
    return describe(
        "feed_conflict",
        event=conflict["event"],
        start=conflict["start"],
        end=conflict["end"],
        nights=", ".join(conflict["nights"]),
        holders=", ".join(sorted(describe_holder(h) for h in conflict["holders"])),
    )


class CalendarFeed(db.Model):
    """Another site's iCalendar feed of a property; each of its events becomes a Block."""

    __table_args__ = (UniqueConstraint("property_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Names this subscription's own export link, which leaves out the feed's own events:
    # the link to give that other site, so that its events do not come back to it.
    export_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(24)
    )
    # What the feed's server said of the body it last sent ({"etag", "last_modified"}) and
    # the day it did, "on": asked with them, it may answer 304 Not Modified.
    validators: Mapped[dict | None] = mapped_column(JSON)
    # The last attempt, and the last one that succeeded.
    checked_at: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]
    # Why the last attempt failed, as an error record ({"key", "params"}); None when it did not.
    error: Mapped[dict | None] = mapped_column(JSON)
    # Events imported by the last sync, and those that wanted nights already taken here:
    # [{"event", "start", "end", "nights": [...], "holders": [{"reservation": code} | ...]}].
    event_count: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    # What the last reading left out or imported against the rules (events that could not
    # be read, UIDs shared by several events), as error records.
    notices: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    # Since when the feed has answered with no event still to come while its blocks hold nights.
    empty_since: Mapped[datetime | None]

    blocks: Mapped[list[Block]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by=Block.start_date
    )

    @property
    def error_message(self) -> str:
        return describe_record(self.error)

    @property
    def notice_messages(self) -> list[str]:
        return [describe_record(notice) for notice in self.notices]

    @property
    def conflict_messages(self) -> list[str]:
        return [describe_conflict(conflict) for conflict in self.conflicts]

    @property
    def first_conflict_messages(self) -> list[str]:
        return [describe_conflict(conflict) for conflict in self.conflicts[:CONFLICTS_SHOWN]]

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.label}>"

    # Last in the class body: the name would otherwise shadow the builtin decorator above.
    property: Mapped[Property] = relationship()
