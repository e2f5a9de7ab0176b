from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from ..money import Money


class PaymentMethod(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"
    CARD = "card"
    OTHER = "other"


class Payment(db.Model):
    """Money received for a stay, or paid back: a negative amount is a refund."""

    __table_args__ = (
        CheckConstraint("amount_minor <> 0", name="amount_not_zero"),
        CheckConstraint("method IN ('cash', 'transfer', 'card', 'other')", name="known_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservation.id", ondelete="RESTRICT"), index=True
    )
    # In the smallest unit of `currency`, the stay's currency.
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[PaymentMethod] = mapped_column(
        Enum(
            PaymentMethod,
            native_enum=False,
            create_constraint=False,
            length=16,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The host who recorded it; None for a card payment Stripe reported.
    host_id: Mapped[int | None] = mapped_column(ForeignKey("host.id", ondelete="SET NULL"))
    # Stripe's event and Checkout Session: each records one payment, however often it is sent.
    provider_event_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def is_refund(self) -> bool:
        return self.amount_minor < 0

    def __repr__(self) -> str:
        return f"<Payment {self.amount} {self.method}>"
