"""The host records payments and refunds; both pages show what is due, paid and owed."""

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.payments.models import Payment
from innkeeper.properties.models import Property
from tests.helpers import GuestLink, count_rows, figure, hidden_value, instalments


@pytest.fixture
def stay(make_property, make_reservation, future):
    """A USD stay 40 days ahead: 30 % deposit now, the balance 14 days before check-in."""
    prop = make_property(deposit_percent=30, balance_due_days=14)
    return make_reservation(prop, future(40), future(43))


def host_page(client, code: str) -> str:
    response = client.get(f"/host/reservations/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def record(host, client, code: str, amount: str, method: str = "cash", **fields):
    """Fill in the record-payment form on the stay's host page and send it."""
    key = hidden_value(host_page(client, code), "submission_key")
    data = {"submission_key": key, "amount": amount, "method": method, **fields}
    return host.post(f"/host/reservations/{code}/payments", data)


def payments() -> list[Payment]:
    db.session.rollback()
    return list(db.session.scalars(select(Payment).order_by(Payment.id)))


def test_a_payment_recorded_shows_on_both_pages_with_the_schedule(client, host, stay, future):
    total = stay.total
    deposit = total.percent(30)
    response = record(host, client, stay.code, str(deposit.amount), "transfer", note="Wire 42")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/host/reservations/{stay.code}")

    [payment] = payments()
    assert (payment.amount, payment.method, payment.note) == (deposit, "transfer", "Wire 42")
    html = host_page(client, stay.code)
    assert figure(html, "total") == str(total.amount)
    assert figure(html, "paid") == str(deposit.amount)
    assert figure(html, "owed") == str((total - deposit).amount)
    assert instalments(html) == [
        ("deposit", str(future(0)), str(deposit.amount)),
        ("balance", str(future(26)), str((total - deposit).amount)),
    ]
    assert "Wire 42" in html and "recorded a payment for" in html
    entry = db.session.scalar(select(Activity).filter_by(action="payment.recorded"))
    assert entry.actor == host.email and entry.changes["method"] == [None, "transfer"]

    guest = client.get(GuestLink.of(stay).page).get_data(as_text=True)
    assert figure(guest, "paid") == str(deposit.amount)
    assert figure(guest, "owed") == str((total - deposit).amount)
    assert instalments(guest) == instalments(html)
    assert "Wire 42" not in guest


def test_a_negative_amount_records_a_refund_of_at_most_what_was_paid(client, host, stay):
    assert record(host, client, stay.code, "100.00").status_code == 303
    response = record(host, client, stay.code, "-100.01")
    assert response.status_code == 422
    assert "A refund can be at most what was paid: 100.00 USD." in response.get_data(as_text=True)
    assert record(host, client, stay.code, "-60.00", "other").status_code == 303
    assert [p.amount.minor for p in payments()] == [10000, -6000]
    assert figure(host_page(client, stay.code), "paid") == "40.00"
    assert db.session.scalar(select(Activity.id).filter_by(action="payment.refunded"))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount other than zero"),
        ("-0.00", "Enter an amount other than zero"),
        ("12.345", "Enter an amount in USD like 120.00."),
        ("ten", "Enter an amount in USD like 120.00."),
        ("", "Enter the amount."),
        ("-5", "A refund can be at most what was paid: 0.00 USD."),
    ],
)
def test_a_wrong_amount_answers_422_beside_the_field_and_stores_nothing(
    client, host, stay, amount, message
):
    response = record(host, client, stay.code, amount, note="typed note")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html and f'value="{amount}"' in html
    assert 'value="typed note"' in html
    assert count_rows("payment") == 0


def test_a_zero_decimal_currency_takes_no_decimals(client, host, make_property, make_reservation):
    reservation = make_reservation(make_property(currency="JPY", nightly_rate_minor=15000))
    response = record(host, client, reservation.code, "100.5")
    assert response.status_code == 422
    assert "Enter an amount in JPY like 120." in response.get_data(as_text=True)
    assert record(host, client, reservation.code, "15000").status_code == 303
    assert payments()[0].amount_minor == 15000


def test_an_unknown_method_is_refused(client, host, stay):
    response = record(host, client, stay.code, "10.00", "bitcoin")
    assert response.status_code == 422
    assert count_rows("payment") == 0


def test_a_double_click_records_one_payment(client, host, stay):
    key = hidden_value(host_page(client, stay.code), "submission_key")
    data = {"submission_key": key, "amount": "50.00", "method": "cash"}
    first = host.post(f"/host/reservations/{stay.code}/payments", data)
    second = host.post(f"/host/reservations/{stay.code}/payments", data)
    assert first.status_code == second.status_code == 303
    assert len(payments()) == 1


def test_recording_needs_a_signed_in_host(client, auth, stay):
    response = client.post(f"/host/reservations/{stay.code}/payments", data={"amount": "5"})
    assert response.status_code in (302, 303, 400)
    assert count_rows("payment") == 0


def test_the_dashboard_lists_balances_past_their_day(client, host, stay, time_machine, future):
    record(host, client, stay.code, str(stay.total.percent(30).amount))
    balance_day, day_after = future(26), future(27)
    time_machine.move_to(f"{balance_day}T12:00:00Z")
    host.login()  # the host's session has long ended
    assert f'data-overdue="{stay.code}"' not in client.get("/host/").get_data(as_text=True)
    time_machine.move_to(f"{day_after}T12:00:00Z")
    host.login()
    html = client.get("/host/").get_data(as_text=True)
    assert f'data-overdue="{stay.code}"' in html
    record(host, client, stay.code, str((stay.total - stay.total.percent(30)).amount))
    assert f'data-overdue="{stay.code}"' not in client.get("/host/").get_data(as_text=True)


# --- the terms on the place ---------------------------------------------------------

PLACE = {
    "name": "Casa Terms",
    "currency": "EUR",
    "timezone": "Europe/Madrid",
    "nightly_rate": "100",
    "weekend_rate": "100",
    "max_guests": "4",
    "published": "y",
}


def place(slug: str) -> Property:
    db.session.rollback()
    return db.session.scalar(select(Property).filter_by(slug=slug))


def test_a_place_takes_its_terms_with_defaults_and_keeps_those_left_out(client, host):
    assert host.post("/host/properties", PLACE).status_code == 303
    prop = place("casa-terms")
    assert (
        prop.deposit_percent,
        prop.balance_due_days,
        prop.free_cancellation_days,
        prop.late_refund_percent,
    ) == (100, 14, 14, 0)
    assert "Payments and cancellation" in client.get("/host/properties/casa-terms").get_data(
        as_text=True
    )
    response = host.post("/host/properties/casa-terms", {"deposit_percent": "25"})
    assert response.status_code == 303
    response = host.post("/host/properties/casa-terms", {"late_refund_percent": "50"})
    assert response.status_code == 303
    prop = place("casa-terms")
    assert (prop.deposit_percent, prop.late_refund_percent, prop.balance_due_days) == (25, 50, 14)


@pytest.mark.parametrize(
    ("field", "value"),
    [("deposit_percent", "101"), ("late_refund_percent", "-1"), ("balance_due_days", "x")],
)
def test_terms_out_of_range_answer_422_beside_the_field(client, host, field, value):
    response = host.post("/host/properties", {**PLACE, field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a number from 0 to 100." in html or "Enter a whole number." in html
    assert f'value="{value}"' in html
    assert count_rows("property") == 0


def test_a_stay_keeps_the_terms_it_was_booked_under(client, host, stay):
    host.post(f"/host/properties/{stay.property.slug}", {"deposit_percent": "100"})
    html = host_page(client, stay.code)
    assert [kind for kind, _due, _amount in instalments(html)] == ["deposit", "balance"]
    assert place(stay.property.slug).deposit_percent == 100
