"""What a stay owes and has paid: its schedule, payments and refunds, refunds on cancelling."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..activity.models import ACTIONS
from ..activity.services import record
from ..clock import today_in, utcnow
from ..database import lock_property, write_transaction
from ..exceptions import InvalidFields
from ..extensions import db
from ..host.models import Host
from ..money import Money, total
from ..reservations.hooks import cancellation_steps, mail_details, stay_details
from ..reservations.models import CancelledBy, Reservation
from ..submissions import claim
from . import card, notifications
from .models import Payment, PaymentMethod

log = logging.getLogger(__name__)

ACTIONS.update(
    {
        "payment.recorded": _l("recorded a payment for"),
        "payment.refunded": _l("recorded a refund for"),
        "payment.by_card": _l("paid by card for"),
    }
)


# --- the terms ----------------------------------------------------------------------


@dataclass(frozen=True)
class Instalment:
    """A part of the total and the day it is due: "deposit", "balance" or "full"."""

    kind: str
    amount: Money
    due: date


def schedule(
    stay_total: Money, booked_on: date, check_in: date, deposit_percent: int, balance_due_days: int
) -> list[Instalment]:
    """The deposit at booking and the balance `balance_due_days` before check-in.

    Booked on or after the balance's day, everything is due at booking. The parts are
    whole minor units and always add up to the total.
    """
    balance_due = check_in - timedelta(days=balance_due_days)
    deposit = stay_total.percent(deposit_percent)
    if booked_on >= balance_due or deposit == stay_total:
        return [Instalment("full", stay_total, booked_on)]
    if not deposit:
        return [Instalment("balance", stay_total, balance_due)]
    return [
        Instalment("deposit", deposit, booked_on),
        Instalment("balance", stay_total - deposit, balance_due),
    ]


def refund_owed(
    paid: Money,
    by: CancelledBy,
    cancelled_on: date,
    check_in: date,
    free_cancellation_days: int,
    late_refund_percent: int,
) -> Money:
    """What a cancellation owes back of `paid`: all of it when the host cancels or the guest
    does at least `free_cancellation_days` before check-in, else `late_refund_percent` of it."""
    if paid.minor <= 0:
        return Money.zero(paid.currency)
    if by is CancelledBy.HOST or (check_in - cancelled_on).days >= free_cancellation_days:
        return paid
    return paid.percent(late_refund_percent)


# --- one stay's account -------------------------------------------------------------


def booked_on(reservation: Reservation) -> date:
    """The place's date when the stay was booked."""
    return reservation.property.local_today(reservation.created_at.replace(tzinfo=UTC))


def schedule_of(reservation: Reservation) -> list[Instalment]:
    return schedule(
        reservation.total,
        booked_on(reservation),
        reservation.check_in,
        reservation.deposit_percent,
        reservation.balance_due_days,
    )


def payments_of(reservation: Reservation) -> list[Payment]:
    query = select(Payment).filter_by(reservation_id=reservation.id).order_by(Payment.id)
    return list(db.session.scalars(query))


def paid_for(reservation: Reservation) -> Money:
    """What was paid, less what was refunded."""
    minor = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).filter_by(
            reservation_id=reservation.id
        )
    )
    return Money(int(minor), reservation.currency)


@dataclass(frozen=True)
class Account:
    """A stay's money on the place's `today`: total, schedule, what came in and went back."""

    total: Money
    schedule: list[Instalment]
    payments: list[Payment]
    today: date
    # Recorded when the stay was cancelled; None for a live stay.
    refund_owed: Money | None
    # What the guest would be owed back by cancelling today; None when they cannot.
    refund_if_cancelled_now: Money | None

    @property
    def received(self) -> Money:
        return total((p.amount for p in self.payments if not p.is_refund), self.total.currency)

    @property
    def refunded(self) -> Money:
        return -total((p.amount for p in self.payments if p.is_refund), self.total.currency)

    @property
    def paid(self) -> Money:
        return self.received - self.refunded

    @property
    def owed(self) -> Money:
        """What is still to pay of the total (nothing once cancelled)."""
        if self.refund_owed is not None:
            return Money.zero(self.total.currency)
        return max(self.total - self.paid, Money.zero(self.total.currency))

    @property
    def due_now(self) -> Money:
        """What should have been paid by today and is not yet."""
        if self.refund_owed is not None:
            return Money.zero(self.total.currency)
        due = total((i.amount for i in self.schedule if i.due <= self.today), self.total.currency)
        return max(due - self.paid, Money.zero(self.total.currency))

    @property
    def to_pay_by_card(self) -> Money:
        """What the card button takes: what is due now, else the balance ahead of its day."""
        return self.due_now or self.owed

    @property
    def refund_still_owed(self) -> Money | None:
        if self.refund_owed is None:
            return None
        return max(self.refund_owed - self.refunded, Money.zero(self.total.currency))


def account_of(reservation: Reservation) -> Account:
    payments = payments_of(reservation)
    today = reservation.property.local_today()
    paid = total((p.amount for p in payments), reservation.currency)
    refund_now = None
    if reservation.holds_nights and not reservation.has_begun(today):
        refund_now = refund_owed(
            paid,
            CancelledBy.GUEST,
            today,
            reservation.check_in,
            reservation.free_cancellation_days,
            reservation.late_refund_percent,
        )
    refund_recorded = None
    if not reservation.holds_nights:
        refund_recorded = Money(reservation.refund_owed_minor or 0, reservation.currency)
    return Account(
        total=reservation.total,
        schedule=schedule_of(reservation),
        payments=payments,
        today=today,
        refund_owed=refund_recorded,
        refund_if_cancelled_now=refund_now,
    )


def note_refund_owed(reservation: Reservation) -> None:
    """At cancellation, under the place's lock: keep what the guest is owed back."""
    owed = refund_owed(
        paid_for(reservation),
        reservation.cancelled_by,
        reservation.property.local_today(),
        reservation.check_in,
        reservation.free_cancellation_days,
        reservation.late_refund_percent,
    )
    reservation.refund_owed_minor = owed.minor


stay_details.append(
    lambda reservation: {"account": account_of(reservation), "card_payments": card.enabled()}
)
mail_details.append(lambda reservation: {"account": account_of(reservation)})
cancellation_steps.append(note_refund_owed)
cancellation_steps.append(notifications.withdraw_balance_reminder)


# --- recording payments -------------------------------------------------------------


def record_payment(
    reservation: Reservation,
    amount: Money,
    method: PaymentMethod,
    note: str = "",
    *,
    by: Host | None = None,
    submission_key: str | None = None,
) -> Payment:
    """A host records money received (or, negative, paid back) for the stay; it is logged.

    A refund may be at most what was paid. Under the place's lock, so that two refunds,
    or a refund and a cancellation, judge what was paid one after the other.
    """
    if not amount:
        raise InvalidFields.on("amount", "amount_zero")
    with write_transaction() as session:
        lock_property(reservation.property_id)
        claim(submission_key, reservation.code)
        if amount.minor < 0:
            paid = paid_for(reservation)
            if -amount.minor > paid.minor:
                paid = max(paid, Money.zero(paid.currency))
                raise InvalidFields.on(
                    "amount", "refund_beyond_paid", paid=f"{paid.amount} {paid.currency}"
                )
        payment = Payment(
            reservation_id=reservation.id,
            amount_minor=amount.minor,
            currency=amount.currency,
            method=method,
            note=note,
            host_id=by.id if by else None,
        )
        session.add(payment)
        record(
            "payment.refunded" if amount.minor < 0 else "payment.recorded",
            reservation.code,
            property_id=reservation.property_id,
            reservation_id=reservation.id,
            changes={
                "amount": [None, f"{amount.amount} {amount.currency}"],
                "method": [None, method.value],
                **({"note": [None, note]} if note else {}),
            },
            by=by,
        )
    return payment


def record_card_payment(
    *, event_id: str, session_id: str, code: str, amount_minor: int, currency: str
) -> Payment | None:
    """Record a card payment Stripe reported, once per event and once per Checkout Session.

    None when it was recorded before, or names no stay of ours in its currency (logged:
    answering Stripe with an error would only make it resend the event for days).
    """
    reservation = db.session.scalar(select(Reservation).filter_by(code=code.strip().upper()))
    if reservation is None:
        log.warning("Stripe event %s names no reservation %r; ignored", event_id, code)
        return None
    if currency.upper() != reservation.currency:
        log.warning(
            "Stripe event %s pays %s for %s, priced in %s; ignored",
            event_id,
            currency,
            reservation.code,
            reservation.currency,
        )
        return None
    try:
        with write_transaction() as session:
            seen = session.scalar(
                select(Payment.id).where(
                    or_(
                        Payment.provider_event_id == event_id,
                        Payment.provider_session_id == session_id,
                    )
                )
            )
            if seen is not None:
                return None
            payment = Payment(
                reservation_id=reservation.id,
                amount_minor=amount_minor,
                currency=reservation.currency,
                method=PaymentMethod.CARD,
                note="Stripe",
                provider_event_id=event_id,
                provider_session_id=session_id,
            )
            session.add(payment)
            amount = payment.amount
            record(
                "payment.by_card",
                reservation.code,
                property_id=reservation.property_id,
                reservation_id=reservation.id,
                changes={"amount": [None, f"{amount.amount} {amount.currency}"]},
                actor=reservation.guest_email,
            )
    except IntegrityError:
        # The same event, delivered twice at once: the other delivery recorded it.
        return None
    return payment


# --- balances due -------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    reservation: Reservation
    due: date
    owed: Money
    today: date


def _open_balances() -> list[Balance]:
    """Live stays not yet over with a balance part in their schedule and money still owed."""
    paid = (
        select(Payment.reservation_id, func.sum(Payment.amount_minor).label("minor"))
        .group_by(Payment.reservation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Reservation, func.coalesce(paid.c.minor, 0))
        .outerjoin(paid, paid.c.reservation_id == Reservation.id)
        .options(joinedload(Reservation.property))
        .where(
            Reservation.holds_nights,
            Reservation.deposit_percent < 100,
            # A day's margin: the places' own dates may be behind UTC's.
            Reservation.check_out >= utcnow().date() - timedelta(days=1),
            Reservation.total_minor > func.coalesce(paid.c.minor, 0),
        )
        .order_by(Reservation.check_in, Reservation.id)
    ).all()
    balances = []
    for reservation, paid_minor in rows:
        parts = [i for i in schedule_of(reservation) if i.kind == "balance"]
        today = today_in(reservation.property.timezone)
        if parts and today < reservation.check_out:
            owed = Money(reservation.total_minor - int(paid_minor), reservation.currency)
            balances.append(Balance(reservation, parts[0].due, owed, today))
    return balances


def overdue_balances() -> list[Balance]:
    """Balances whose day has passed and that are still owed, for the host's dashboard."""
    return [b for b in _open_balances() if b.due < b.today]


def queue_due_balance_reminders() -> int:
    """Mail each guest whose balance day has come and who still owes it; once per stay."""
    queued = 0
    for balance in _open_balances():
        if balance.due > balance.today:
            continue
        with write_transaction() as session:
            # The conditional update lets only one worker queue this reminder.
            claimed = session.execute(
                update(Reservation)
                .where(
                    Reservation.id == balance.reservation.id,
                    Reservation.holds_nights,
                    Reservation.balance_reminder_queued_at.is_(None),
                )
                .values(balance_reminder_queued_at=utcnow())
            ).rowcount
            if not claimed:
                continue
            reservation = session.get(Reservation, balance.reservation.id)
            account = account_of(reservation)
            if not account.owed:
                # Paid in the meantime: the claim stands, there is nothing to remind of.
                continue
            notifications.balance_due(reservation, account.owed, balance.due)
            queued += 1
    return queued
