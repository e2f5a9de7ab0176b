"""The schedule and the refunds: parts add up to the total in any currency, never a float."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from innkeeper.money import Money, decimals
from innkeeper.payments.services import refund_owed, schedule
from innkeeper.reservations.models import CancelledBy

CURRENCIES = ["USD", "EUR", "JPY", "KWD"]
CHECK_IN = date(2031, 7, 20)

totals = st.builds(
    lambda minor, currency: Money(minor, currency),
    st.integers(min_value=0, max_value=10**10),
    st.sampled_from(CURRENCIES),
)
percents = st.integers(min_value=0, max_value=100)
days = st.integers(min_value=0, max_value=400)


def test_the_currencies_under_test_have_their_own_decimals():
    assert [decimals(c) for c in CURRENCIES] == [2, 2, 0, 3]


@given(totals, percents, days, days)
def test_the_parts_add_up_to_the_total_in_whole_minor_units(
    stay_total, deposit_percent, due_days, booked_before
):
    booked_on = CHECK_IN - timedelta(days=booked_before)
    parts = schedule(stay_total, booked_on, CHECK_IN, deposit_percent, due_days)
    assert sum(part.amount.minor for part in parts) == stay_total.minor
    for part in parts:
        assert type(part.amount.minor) is int
        assert part.amount.currency == stay_total.currency
        assert part.amount.minor >= 0
    balance_due = CHECK_IN - timedelta(days=due_days)
    for part in parts:
        assert part.due == (balance_due if part.kind == "balance" else booked_on)
    if booked_on >= balance_due:
        assert [p.kind for p in parts] == ["full"]


@given(totals, st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=60))
def test_an_early_booking_owes_the_deposit_now_and_the_balance_before_check_in(
    stay_total, deposit_percent, due_days
):
    booked_on = CHECK_IN - timedelta(days=due_days + 1)
    parts = schedule(stay_total, booked_on, CHECK_IN, deposit_percent, due_days)
    deposit = stay_total.percent(deposit_percent)
    if deposit and deposit != stay_total:
        assert [(p.kind, p.due) for p in parts] == [
            ("deposit", booked_on),
            ("balance", CHECK_IN - timedelta(days=due_days)),
        ]
        assert parts[0].amount == deposit


def test_a_deposit_is_rounded_to_the_currencys_smallest_unit():
    [deposit, balance] = schedule(
        Money(33_333, "JPY"), date(2031, 1, 1), CHECK_IN, deposit_percent=30, balance_due_days=14
    )
    assert (deposit.amount, balance.amount) == (Money(10_000, "JPY"), Money(23_333, "JPY"))
    [deposit, balance] = schedule(
        Money(86_415, "KWD"), date(2031, 1, 1), CHECK_IN, deposit_percent=25, balance_due_days=14
    )
    assert (str(deposit.amount), str(balance.amount)) == ("21.604", "64.811")


def test_a_booking_made_after_the_balance_day_owes_everything_at_once():
    booked_on = CHECK_IN - timedelta(days=10)
    [part] = schedule(Money(50_000, "USD"), booked_on, CHECK_IN, 30, balance_due_days=14)
    assert (part.kind, part.amount, part.due) == ("full", Money(50_000, "USD"), booked_on)


def test_no_deposit_leaves_only_the_balance():
    [part] = schedule(Money(50_000, "EUR"), date(2031, 1, 1), CHECK_IN, 0, balance_due_days=14)
    assert (part.kind, part.due) == ("balance", date(2031, 7, 6))


@given(
    totals,
    percents,
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=-5, max_value=90),
)
def test_a_refund_is_all_paid_early_and_the_late_share_later(
    paid, late_percent, free_days, days_before
):
    cancelled_on = CHECK_IN - timedelta(days=days_before)
    refund = refund_owed(paid, CancelledBy.GUEST, cancelled_on, CHECK_IN, free_days, late_percent)
    assert type(refund.minor) is int and refund.currency == paid.currency
    assert 0 <= refund.minor <= paid.minor
    if days_before >= free_days:
        assert refund == paid
    else:
        assert refund == paid.percent(late_percent)
    host = refund_owed(paid, CancelledBy.HOST, cancelled_on, CHECK_IN, free_days, late_percent)
    assert host == paid


def test_the_free_cancellation_ends_exactly_free_days_before_check_in():
    paid = Money(1_000, "JPY")
    on_the_day = CHECK_IN - timedelta(days=14)
    assert refund_owed(paid, CancelledBy.GUEST, on_the_day, CHECK_IN, 14, 50) == paid
    a_day_late = on_the_day + timedelta(days=1)
    assert refund_owed(paid, CancelledBy.GUEST, a_day_late, CHECK_IN, 14, 50) == Money(500, "JPY")
    assert refund_owed(Money(0, "JPY"), CancelledBy.HOST, a_day_late, CHECK_IN, 14, 50) == Money(
        0, "JPY"
    )


def test_the_listing_says_when_guests_pay_and_what_cancelling_refunds(client, make_property):
    prop = make_property(
        deposit_percent=30, balance_due_days=21, free_cancellation_days=30, late_refund_percent=50
    )

    html = client.get(f"/properties/{prop.slug}").get_data(as_text=True)

    assert "You pay 30% when you book and the rest 21 days before check-in." in html
    assert (
        "Cancelling up to 30 days before check-in refunds everything you paid; later, 50% of it."
        in html
    )
