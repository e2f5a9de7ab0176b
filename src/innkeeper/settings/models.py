from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db

DEFAULT_SITE_NAME = "Innkeeper"
# What the hosts edit, in the order of the settings page.
FIELDS = ("site_name", "sender_name", "sender_address", "reply_to", "host_contact")


class SiteSettings(db.Model):
    """One row: what the hosts set on the settings page. Until they save it, the defaults."""

    __tablename__ = "site_settings"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    site_name: Mapped[str] = mapped_column(String(80), default=DEFAULT_SITE_NAME)
    # Mail comes from "<sender_name> <sender_address>"; "" takes MAIL_DEFAULT_SENDER's.
    sender_name: Mapped[str] = mapped_column(String(80), default="")
    sender_address: Mapped[str] = mapped_column(String(254), default="")
    # Where guests' replies go; "" leaves them to the sender address.
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    # Shown to booked guests when their place has no contact of its own.
    host_contact: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)

    @classmethod
    def defaults(cls) -> "SiteSettings":
        return cls(id=1, **{name: "" for name in FIELDS} | {"site_name": DEFAULT_SITE_NAME})
