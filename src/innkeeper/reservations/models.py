import hashlib
import hmac
import secrets
from datetime import date, datetime

from flask import current_app
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import utcnow
from ..extensions import db
from ..properties.models import Property

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def group_rates(nightly_cents: list[int]) -> list[tuple[int, int]]:
    """(rate, number of nights) for each rate, in order of first appearance."""
    counts: dict[int, int] = {}
    for cents in nightly_cents:
        counts[cents] = counts.get(cents, 0) + 1
    return list(counts.items())


def new_code() -> str:
    """A reservation code a guest can read out on the phone, e.g. K7QX-2MPD."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class Reservation(db.Model):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    __table_args__ = (
        CheckConstraint("check_in < check_out", name="dates_in_order"),
        CheckConstraint("guests >= 1", name="guests_positive"),
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="known_status"),
        Index("ix_reservation_property_dates", "property_id", "check_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The guest's link token is an HMAC of the code and this nonce: nothing stored
    # in the database alone rebuilds it, and a new nonce revokes the old link.
    token_nonce: Mapped[str] = mapped_column(String(32))
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="RESTRICT"))
    check_in: Mapped[date]
    check_out: Mapped[date]
    guests: Mapped[int]
    guest_name: Mapped[str] = mapped_column(String(200))
    guest_email: Mapped[str] = mapped_column(String(254))
    guest_phone: Mapped[str] = mapped_column(String(40), default="")
    guest_message: Mapped[str] = mapped_column(Text, default="")
    # The price as quoted when booked, kept even if the host changes rates later.
    currency: Mapped[str] = mapped_column(String(3))
    price_lines: Mapped[list[dict]] = mapped_column(JSON)
    nights_total_cents: Mapped[int]
    cleaning_fee_cents: Mapped[int]
    total_cents: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=CONFIRMED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    reminder_queued_at: Mapped[datetime | None]

    @property
    def is_live(self) -> bool:
        return self.status == self.CONFIRMED

    @property
    def rate_groups(self) -> list[tuple[int, int]]:
        return group_rates([line["cents"] for line in self.price_lines])

    def guest_token(self) -> str:
        key = current_app.config["SECRET_KEY"].encode()
        message = f"reservation:{self.code}:{self.token_nonce}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.guest_token(), token or "")

    def cancel(self) -> None:
        self.status = self.CANCELLED
        self.cancelled_at = utcnow()

    def __repr__(self) -> str:
        return f"<Reservation {self.code} {self.check_in}..{self.check_out}>"

    # Last in the class body: the name would otherwise shadow the builtin decorator above.
    property: Mapped[Property] = relationship()


class Night(db.Model):
    """One row per taken night of a property.

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
