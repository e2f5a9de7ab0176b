import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Index, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..exceptions import InvalidTransition
from ..extensions import db
from ..money import Money
from ..pricing.services import Quote
from ..properties.models import Property

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_code() -> str:
    """A reservation code a guest can read out on the phone, e.g. K7QX-2MPD."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class ReservationStatus(StrEnum):
    # Asked of a place that takes requests: its nights are held until the host answers.
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    # A request the host said no to, or left unanswered past request_expires_at.
    DECLINED = "declined"
    EXPIRED = "expired"


# The statuses whose nights are in the ledger.
HOLDING_STATUSES = (ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED)


class Stage(StrEnum):
    """Where a stay stands for the host: awaiting an answer, to come, under way, over, or
    called off (cancelled, declined or expired)."""

    REQUESTED = "requested"
    UPCOMING = "upcoming"
    IN_HOUSE = "in-house"
    PAST = "past"
    CANCELLED = "cancelled"


# Why a reservation that is not (or no longer) a request cannot be accepted or declined.
CLOSED_REQUEST_ERRORS = {
    ReservationStatus.CONFIRMED: "stay_already_confirmed",
    ReservationStatus.CANCELLED: "reservation_already_cancelled",
    ReservationStatus.DECLINED: "request_declined",
    ReservationStatus.EXPIRED: "request_expired",
}


class CancelledBy(StrEnum):
    GUEST = "guest"
    HOST = "host"


def _enum_column(enum: type[StrEnum]):
    """Stored as its value in a short string column; the CHECK lists the known values."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )


class Reservation(db.Model):
    __table_args__ = (
        CheckConstraint("check_in < check_out", name="dates_in_order"),
        CheckConstraint("guests >= 1", name="guests_positive"),
        CheckConstraint(
            "status IN ('requested', 'confirmed', 'cancelled', 'declined', 'expired')",
            name="known_status",
        ),
        Index("ix_reservation_property_dates", "property_id", "check_in"),
        # The host's list: newest stays first, a page at a time.
        Index("ix_reservation_check_in", "check_in", "id"),
        # The worker's look for requests left unanswered.
        Index("ix_reservation_request_expires_at", "request_expires_at"),
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
    # The language the guest booked in: every mail to them is written in it.
    locale: Mapped[str] = mapped_column(String(16), default="en")
    # The price as quoted when booked (Quote.to_records()), kept if rates change later.
    currency: Mapped[str] = mapped_column(String(3))
    price_lines: Mapped[list[dict]] = mapped_column(JSON)
    total_minor: Mapped[int]
    status: Mapped[ReservationStatus] = mapped_column(_enum_column(ReservationStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[CancelledBy | None] = mapped_column(_enum_column(CancelledBy))
    # What the host told the guest when cancelling, or declining a request; "" for none.
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The hosts' own notes on the stay: never shown or mailed to the guest.
    host_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    reminder_queued_at: Mapped[datetime | None]
    # The mail with the place's arrival instructions, and the thank-you after the stay.
    pre_arrival_queued_at: Mapped[datetime | None]
    thank_you_queued_at: Mapped[datetime | None]
    # The place's payment and cancellation terms when booked, kept if they change later.
    deposit_percent: Mapped[int] = mapped_column(default=100, server_default="100")
    balance_due_days: Mapped[int] = mapped_column(default=14, server_default="14")
    free_cancellation_days: Mapped[int] = mapped_column(default=14, server_default="14")
    late_refund_percent: Mapped[int] = mapped_column(default=0, server_default="0")
    # What the guest was owed back when the stay was cancelled (payments/); None before.
    refund_owed_minor: Mapped[int | None]
    balance_reminder_queued_at: Mapped[datetime | None]
    # Set when the booking was a request: the host answers by then, or it expires.
    request_expires_at: Mapped[datetime | None]

    @hybrid_property
    def holds_nights(self) -> bool:
        """Whether the reservation owns its nights in the ledger."""
        return self.status in HOLDING_STATUSES

    @holds_nights.inplace.expression
    @classmethod
    def _holds_nights_expression(cls):
        return cls.status.in_(HOLDING_STATUSES)

    @property
    def quote(self) -> Quote:
        return Quote.from_records(self.price_lines, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    def price_at(self, quote: Quote) -> None:
        """Keep the quote's lines and total: the price this stay was booked at."""
        self.currency = quote.currency
        self.price_lines = quote.to_records()
        self.total_minor = quote.total.minor

    def keep_terms(self, prop: Property) -> None:
        """Keep the place's payment and cancellation terms: those this stay was booked under."""
        self.deposit_percent = prop.deposit_percent
        self.balance_due_days = prop.balance_due_days
        self.free_cancellation_days = prop.free_cancellation_days
        self.late_refund_percent = prop.late_refund_percent

    def has_begun(self, today: date) -> bool:
        return self.check_in <= today

    def confirm(self) -> None:
        """The booking is final: its nights are held as a confirmed stay."""
        self.status = ReservationStatus.CONFIRMED

    def request(self, hold: timedelta) -> None:
        """The booking waits for the host's answer, its nights held for `hold` at most."""
        self.status = ReservationStatus.REQUESTED
        self.request_expires_at = utcnow() + hold

    @property
    def awaits_answer(self) -> bool:
        return self.status is ReservationStatus.REQUESTED

    def is_overdue(self, moment: datetime) -> bool:
        """A request whose time to answer is over at `moment` (naive UTC)."""
        return self.awaits_answer and self.request_expires_at <= moment

    def _refuse_unless_requested(self) -> None:
        if not self.awaits_answer:
            raise InvalidTransition(CLOSED_REQUEST_ERRORS[self.status])

    def accept(self) -> bool:
        """The host accepts the request: a confirmed stay. False when it already was."""
        if self.status is ReservationStatus.CONFIRMED:
            return False
        self._refuse_unless_requested()
        self.confirm()
        return True

    def decline(self, reason: str = "") -> bool:
        """The host declines the request, telling the guest `reason`; False when they had."""
        if self.status is ReservationStatus.DECLINED:
            return False
        self._refuse_unless_requested()
        self.status = ReservationStatus.DECLINED
        self.cancel_reason = reason
        return True

    def expire(self) -> None:
        """The host did not answer in time."""
        self._refuse_unless_requested()
        self.status = ReservationStatus.EXPIRED

    def cancel(self, by: CancelledBy, today: date, reason: str = "") -> bool:
        """Cancel; False when it already was. A guest cannot cancel a stay that has begun.

        A guest's cancelled request is withdrawn; a host answers a request by declining it.
        """
        if not self.holds_nights:
            return False
        if by is CancelledBy.HOST and self.awaits_answer:
            raise InvalidTransition("request_cancelled_by_host")
        if by is CancelledBy.GUEST and self.has_begun(today):
            raise InvalidTransition("stay_started")
        self.status = ReservationStatus.CANCELLED
        self.cancelled_at = utcnow()
        self.cancelled_by = by
        self.cancel_reason = reason
        return True

    def stage(self, today: date) -> Stage:
        """Where the stay stands on the place's `today` (services.STAGES selects the same)."""
        if self.awaits_answer:
            return Stage.REQUESTED
        if not self.holds_nights:
            return Stage.CANCELLED
        if today < self.check_in:
            return Stage.UPCOMING
        if today < self.check_out:
            return Stage.IN_HOUSE
        return Stage.PAST

    def guest_token(self) -> str:
        key = current_app.config["SECRET_KEY"].encode()
        message = f"reservation:{self.code}:{self.token_nonce}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.guest_token().encode(), (token or "").encode())

    def __repr__(self) -> str:
        return f"<Reservation {self.code} {self.check_in}..{self.check_out}>"

    # Last in the class body: the name would otherwise shadow the builtin decorator above.
    property: Mapped[Property] = relationship()
