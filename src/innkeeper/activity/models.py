from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db

# What each action reads as in the log ("<who> <what> <subject>"); each feature adds its own.
ACTIONS: dict[str, str] = {}


class Activity(db.Model):
    """One change a host made. Kept when the place, stay or account it names is gone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("host.id", ondelete="SET NULL"))
    # The host's address at the time, or None for the command line.
    actor: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    # What the change is about, as the host named it then ("Seashell House", "K7Q2-9XPD").
    subject: Mapped[str] = mapped_column(String(200))
    property_id: Mapped[int | None] = mapped_column(
        ForeignKey("property.id", ondelete="SET NULL"), index=True
    )
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservation.id", ondelete="SET NULL"), index=True
    )
    # {field: [before, after]} as the host reads the values; None where nothing was before.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def description(self) -> str:
        return str(ACTIONS.get(self.action, self.action))
