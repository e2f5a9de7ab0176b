"""The guest's cancellation mail says what they get back under the stay's terms."""

from datetime import timedelta

import pytest

from innkeeper.clock import today_in
from innkeeper.payments.models import PaymentMethod
from innkeeper.payments.services import record_payment
from innkeeper.pricing.services import Stay
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import Guest, cancel, reserve
from tests.helpers import outbox


def cancellation_mail(reservation):
    [message] = outbox(kind="cancellation", reservation_id=reservation.id)
    return message


@pytest.fixture
def book(make_property):
    """A stay of two nights `days_ahead`, under terms refunding all until 14 days before."""

    def book_(days_ahead: int, *, late_refund_percent: int = 0):
        prop = make_property(free_cancellation_days=14, late_refund_percent=late_refund_percent)
        check_in = today_in("UTC") + timedelta(days=days_ahead)
        return reserve(
            prop, Stay(check_in, check_in + timedelta(days=2), 2), Guest("Ada", "ada@example.com")
        )

    return book_


def test_an_early_cancellation_tells_the_guest_the_refund_they_are_owed(book):
    stay = book(30)
    record_payment(stay, stay.total, PaymentMethod.CARD)

    cancel(stay, CancelledBy.GUEST)

    message = cancellation_mail(stay)
    owed = f"You are owed a refund of ${stay.total.amount:,}; your host will send it to you."
    assert owed in message.text_body
    assert "data-refund" in message.html_body and f"${stay.total.amount:,}" in message.html_body


def test_a_late_cancellation_says_what_was_paid_is_kept(book):
    stay = book(3)
    record_payment(stay, stay.total, PaymentMethod.CASH)

    cancel(stay, CancelledBy.GUEST)

    assert (
        f"what you paid (${stay.total.amount:,}) is not refunded"
        in cancellation_mail(stay).text_body
    )


def test_a_late_cancellation_refunds_the_places_share_of_what_was_paid(book):
    stay = book(3, late_refund_percent=50)
    record_payment(stay, stay.total, PaymentMethod.CASH)

    cancel(stay, CancelledBy.GUEST)

    half = stay.total.percent(50)
    assert f"You are owed a refund of ${half.amount:,}" in cancellation_mail(stay).text_body


def test_nothing_paid_nothing_said_about_refunds(book):
    stay = book(30)

    cancel(stay, CancelledBy.GUEST)

    message = cancellation_mail(stay)
    assert "refund" not in message.text_body and "data-refund" not in message.html_body
