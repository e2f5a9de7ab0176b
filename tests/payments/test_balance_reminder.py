"""`jobs run` mails the guest on their balance's day, once, and not when nothing is owed."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from innkeeper.clock import today_in
from innkeeper.database import write_transaction
from innkeeper.mail.models import OutboxMessage
from innkeeper.money import Money
from innkeeper.payments import notifications
from innkeeper.payments.models import PaymentMethod
from innkeeper.payments.services import record_payment
from innkeeper.pricing.services import Stay
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import Guest, cancel, reserve
from tests.helpers import outbox, two_workers_at_once


def book_earlier(prop, booked_at: datetime, check_in: date):
    """Book a stay as a guest did at `booked_at`, the clock running from there."""
    with time_machine.travel(booked_at, tick=False):
        return reserve(
            prop, Stay(check_in, check_in + timedelta(days=2), 2), Guest("Ada", "ada@example.com")
        )


def run_jobs(app, runner) -> None:
    with app.app_context():
        result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output


def balance_mail():
    return outbox(kind="balance_due")


@pytest.fixture
def due_today(make_property):
    """A stay booked 5 days ago whose balance (70 %) is due today, by the real clock."""
    prop = make_property(deposit_percent=30, balance_due_days=14)
    today = today_in("UTC")
    booked_at = datetime.now(UTC) - timedelta(days=5)
    return book_earlier(prop, booked_at, today + timedelta(days=14))


def test_two_workers_at_once_mail_the_balance_once(app_config, due_today):
    two_workers_at_once(app_config)
    [message] = balance_mail()
    assert message.recipients == ["ada@example.com"]
    assert due_today.code in message.subject
    # Nothing was paid, the deposit neither: the whole total is owed.
    assert f"The balance of your stay, ${due_today.total.amount:,}," in message.text_body
    assert f"/reservations/{due_today.code}?token=" in message.text_body
    assert message.html_body.count(due_today.code) >= 1


def test_no_reminder_once_paid_or_cancelled(app, runner, make_property, due_today):
    other = book_earlier(
        due_today.property, datetime.now(UTC) - timedelta(days=5), due_today.check_out
    )
    record_payment(due_today, due_today.total, PaymentMethod.CASH)
    cancel(other, CancelledBy.GUEST)
    run_jobs(app, runner)
    assert balance_mail() == []


def test_a_part_payment_still_gets_the_reminder_of_what_is_left(app, runner, due_today):
    record_payment(due_today, Money(1000, "USD"), PaymentMethod.CASH)
    run_jobs(app, runner)
    run_jobs(app, runner)
    [message] = balance_mail()
    owed = due_today.total - Money(1000, "USD")
    assert f"${owed.amount:,}" in message.text_body


def test_the_day_is_the_places_own(app, runner, make_property):
    # From 10:00 UTC on 10 March it is 11 March at UTC+14.
    ahead = make_property(timezone="Pacific/Kiritimati", deposit_percent=30, balance_due_days=14)
    behind = make_property(timezone="UTC", deposit_percent=30, balance_due_days=14)
    booked_at = datetime(2031, 2, 1, 12, tzinfo=UTC)
    early = book_earlier(ahead, booked_at, date(2031, 3, 25))
    book_earlier(behind, booked_at, date(2031, 3, 25))
    with time_machine.travel(datetime(2031, 3, 10, 9, 30, tzinfo=UTC), tick=False):
        run_jobs(app, runner)
        assert balance_mail() == []
    with time_machine.travel(datetime(2031, 3, 10, 11, 0, tzinfo=UTC), tick=False):
        run_jobs(app, runner)
    assert [m.subject for m in balance_mail()] == [
        f"Balance due for your stay at {ahead.name}: {early.code}"
    ]


def test_a_stay_booked_after_its_balance_day_gets_no_reminder(app, runner, make_property, future):
    prop = make_property(deposit_percent=30, balance_due_days=14)
    reserve(prop, Stay(future(5), future(7), 2), Guest("Ada", "ada@example.com"))
    run_jobs(app, runner)
    assert balance_mail() == []


def test_a_reminder_not_sent_yet_is_taken_back_when_the_stay_is_cancelled(due_today):
    with write_transaction():  # queued, as when the mail server is down
        notifications.balance_due(due_today, due_today.total, today_in("UTC"))
    [waiting] = balance_mail()
    assert waiting.status == OutboxMessage.QUEUED

    cancel(due_today, CancelledBy.GUEST)

    assert balance_mail() == []
    assert "cancellation" in {message.kind for message in outbox(reservation_id=due_today.id)}
