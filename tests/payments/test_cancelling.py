"""Cancelling under the stay's terms: the refund owed is said before and kept after."""

import pytest

from innkeeper.money import Money
from innkeeper.payments.models import PaymentMethod
from innkeeper.payments.services import record_payment
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import GuestLink, cancel_form, figure, reservations


@pytest.fixture
def paid_stay(make_property, make_reservation, future):
    """A stay of 10 days ahead, 200.00 paid; free cancellation until 14 days before, then 50 %."""

    def make(days_ahead: int = 10):
        prop = make_property(free_cancellation_days=14, late_refund_percent=50)
        reservation = make_reservation(prop, future(days_ahead), future(days_ahead + 2))
        record_payment(reservation, Money(20000, "USD"), PaymentMethod.TRANSFER)
        return reservation

    return make


def refund_shown(html: str) -> str:
    marker = 'data-refund-if-cancelled="'
    assert marker in html, "the page says no refund"
    return html.split(marker, 1)[1].split('"', 1)[0]


def stored(reservation):
    [row] = reservations(code=reservation.code)
    return row


def test_a_late_guest_cancellation_owes_the_late_share_and_the_host_page_shows_it(
    client, auth, paid_stay
):
    reservation = paid_stay(10)
    link = GuestLink.of(reservation)
    page = client.get(link.page).get_data(as_text=True)
    assert refund_shown(page) == "100.00"
    assert "If you cancel today, you are owed back $100.00." in page
    assert "50%" in page

    response = client.post(link.cancel_url, data=cancel_form(client, link))
    assert response.status_code == 303
    assert stored(reservation).refund_owed_minor == 10000

    auth.login()
    html = client.get(f"/host/reservations/{reservation.code}").get_data(as_text=True)
    assert figure(html, "refund-owed") == "100.00"
    assert figure(html, "refunded") == "0.00"
    assert figure(html, "refund-still-owed") == "100.00"
    record_payment(stored(reservation), Money(-10000, "USD"), PaymentMethod.TRANSFER)
    html = client.get(f"/host/reservations/{reservation.code}").get_data(as_text=True)
    assert figure(html, "refunded") == "100.00"
    assert figure(html, "refund-still-owed") == "0.00"


def test_an_early_guest_cancellation_owes_everything_paid(client, paid_stay):
    reservation = paid_stay(14)
    link = GuestLink.of(reservation)
    assert refund_shown(client.get(link.page).get_data(as_text=True)) == "200.00"
    client.post(link.cancel_url, data=cancel_form(client, link))
    assert stored(reservation).refund_owed_minor == 20000


def test_a_host_cancellation_owes_everything_paid(paid_stay):
    reservation = paid_stay(3)
    assert cancel(reservation, CancelledBy.HOST)
    assert stored(reservation).refund_owed_minor == 20000


def test_the_cancel_button_asks_first_and_changes_nothing(client, paid_stay):
    reservation = paid_stay(10)
    link = GuestLink.of(reservation)
    form = cancel_form(client, link)
    response = client.post(link.cancel_url, data={**form, "step": "ask"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Yes, cancel my reservation" in html and refund_shown(html) == "100.00"
    assert 'name="step"' not in html
    assert stored(reservation).holds_nights

    response = client.get(f"{link.cancel_url}?token={link.token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Yes, cancel my reservation" in response.get_data(as_text=True)
    assert stored(reservation).holds_nights


def test_the_confirmation_page_needs_the_guests_token(client, paid_stay):
    reservation = paid_stay(10)
    assert client.get(f"/reservations/{reservation.code}/cancel?token=nope").status_code == 404


def test_a_cancelled_stay_has_no_confirmation_to_ask(client, paid_stay):
    reservation = paid_stay(10)
    link = GuestLink.of(reservation)
    client.post(link.cancel_url, data=cancel_form(client, link))
    response = client.get(f"{link.cancel_url}?token={link.token}")
    assert response.status_code == 303
    assert response.headers["Location"] == link.page
    page = client.get(link.page).get_data(as_text=True)
    assert figure(page, "refund-owed") == "100.00"
    assert "Cancel this reservation" not in page
