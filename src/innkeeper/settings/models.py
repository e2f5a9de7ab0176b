from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from ..locales import DEFAULT as DEFAULT_LOCALE

DEFAULT_SITE_NAME = "Innkeeper"
# What the hosts edit, in the order of the settings page.
FIELDS = (
    "site_name",
    "default_locale",
    "sender_name",
    "sender_address",
    "reply_to",
    "host_contact",
)


class SiteSettings(db.Model):
    """One row: what the hosts set on the settings page. Until they save it, the defaults."""

    __tablename__ = "site_settings"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    site_name: Mapped[str] = mapped_column(String(80), default=DEFAULT_SITE_NAME)
    # The language of a guest who neither chose one nor sends one the site speaks.
    default_locale: Mapped[str] = mapped_column(String(16), default=DEFAULT_LOCALE)
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
        named = {"site_name": DEFAULT_SITE_NAME, "default_locale": DEFAULT_LOCALE}
        return cls(id=1, **{name: "" for name in FIELDS} | named)
