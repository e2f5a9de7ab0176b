"""Seasons, long-stay discounts, extra guests, taxes and booking rules, without a database."""

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innkeeper.exceptions import InvalidStay
from innkeeper.money import Money
from innkeeper.pricing.models import Season
from innkeeper.pricing.services import Quote, Stay, check_stay, price
from tests.helpers import unsaved_seashell_house

TODAY = date(2031, 3, 3)  # a Monday
FRIDAY, SATURDAY = 4, 5


def place(**overrides):
    """Seashell House with the same rate every night and no cleaning fee, unless told."""
    values = {"weekend_rate_minor": 12000, "cleaning_fee_minor": 0, "max_nights": 60}
    return unsaved_seashell_house(**{**values, **overrides})


def with_season(prop, start: date, end: date, nightly: int, weekend: int, min_nights=None):
    Season(
        property=prop,
        start_date=start,
        end_date=end,
        nightly_rate_minor=nightly,
        weekend_rate_minor=weekend,
        min_nights=min_nights,
    )
    return prop


def lines(quote: Quote) -> list[tuple]:
    return [(line.kind, line.quantity, line.amount.minor) for line in quote.lines]


def half_up(amount: Fraction) -> int:
    """The reference rounding for amounts of zero or more: to the nearest unit, halves up."""
    return math.floor(amount + Fraction(1, 2))


def share(minor: int, percent: Decimal) -> int:
    return half_up(Fraction(minor) * Fraction(percent) / 100)


def broken_rules(prop, stay, today=TODAY) -> dict[str, list[str]]:
    with pytest.raises(InvalidStay) as caught:
        check_stay(prop, stay, today)
    return caught.value.fields


# --- seasons ------------------------------------------------------------------------------


def test_a_stay_straddling_a_season_start_pays_each_night_its_own_rate():
    # The season begins on Wednesday 5 March; the stay takes Mon, Tue, Wed, Thu nights.
    prop = with_season(place(), date(2031, 3, 5), date(2031, 3, 20), 20000, 25000)
    quote = price(prop, Stay(date(2031, 3, 3), date(2031, 3, 7), 2))
    assert lines(quote) == [("nights", 2, 24000), ("nights", 2, 40000)]


def test_a_season_has_its_own_friday_and_saturday_rate():
    # Thursday 6 to Sunday 9 March: Thu at the season's nightly rate, Fri and Sat at its weekend.
    prop = with_season(place(), date(2031, 3, 1), date(2031, 4, 1), 20000, 25000)
    quote = price(prop, Stay(date(2031, 3, 6), date(2031, 3, 9), 2))
    assert lines(quote) == [("nights", 1, 20000), ("nights", 2, 50000)]


dates = st.dates(min_value=date(2031, 1, 1), max_value=date(2033, 12, 31))


@given(
    season_start=dates,
    season_length=st.integers(1, 60),
    offset=st.integers(-40, 40),
    length=st.integers(1, 40),
)
def test_every_night_takes_the_rate_of_the_season_holding_it(
    season_start, season_length, offset, length
):
    season_end = season_start + timedelta(days=season_length)
    prop = with_season(
        unsaved_seashell_house(max_nights=60), season_start, season_end, 20000, 26000
    )
    check_in = season_start + timedelta(days=offset)
    stay = Stay(check_in, check_in + timedelta(days=length), 2)

    def rate(night: date) -> int:
        weekend = night.weekday() in (FRIDAY, SATURDAY)
        if season_start <= night < season_end:
            return 26000 if weekend else 20000
        return 15000 if weekend else 12000

    nights = sum(line.amount.minor for line in price(prop, stay).lines if line.kind == "nights")
    assert nights == sum(rate(night) for night in stay.nights)


def test_a_stay_that_begins_in_a_season_takes_its_minimum():
    prop = with_season(place(min_nights=2), date(2031, 7, 1), date(2031, 9, 1), 20000, 20000, 5)
    fields = broken_rules(prop, Stay(date(2031, 8, 28), date(2031, 9, 1), 2))
    assert fields == {
        "check_out": ["Stays that begin from 2031-07-01 to 2031-08-31 take at least 5 nights."]
    }
    check_stay(prop, Stay(date(2031, 8, 27), date(2031, 9, 1), 2), TODAY)
    # Beginning the day before the season, the place's own minimum holds.
    check_stay(prop, Stay(date(2031, 6, 30), date(2031, 7, 2), 2), TODAY)


def test_a_season_minimum_may_be_lower_than_the_places():
    prop = with_season(place(min_nights=3), date(2031, 7, 1), date(2031, 9, 1), 20000, 20000, 1)
    check_stay(prop, Stay(date(2031, 7, 10), date(2031, 7, 11), 2), TODAY)
    assert "check_out" in broken_rules(prop, Stay(date(2031, 6, 10), date(2031, 6, 11), 2))


def test_a_season_without_a_minimum_keeps_the_places():
    prop = with_season(place(min_nights=3), date(2031, 7, 1), date(2031, 9, 1), 20000, 20000)
    fields = broken_rules(prop, Stay(date(2031, 7, 10), date(2031, 7, 12), 2))
    assert fields == {"check_out": ["This place takes stays of at least 3 nights."]}


# --- long stays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nights", "kind"),
    [(6, None), (7, "weekly_discount"), (27, "weekly_discount"), (28, "monthly_discount")],
)
def test_weekly_discount_from_seven_nights_monthly_from_twenty_eight(nights, kind):
    prop = place(weekly_discount=Decimal("10"), monthly_discount=Decimal("25"))
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=nights), 2))
    discounts = [line for line in quote.lines if line.kind.endswith("_discount")]
    assert [line.kind for line in discounts] == ([kind] if kind else [])
    if kind:
        percent = Decimal("10") if kind == "weekly_discount" else Decimal("25")
        assert discounts[0].percent == percent
        assert discounts[0].amount.minor == -share(12000 * nights, percent)


def test_without_a_monthly_discount_a_month_takes_the_weekly_one():
    quote = price(place(weekly_discount=Decimal("10")), Stay(TODAY, TODAY + timedelta(days=30), 2))
    assert [line.kind for line in quote.lines] == ["nights", "weekly_discount"]
    assert quote.total.minor == 12000 * 30 * 9 // 10


@given(
    length=st.integers(1, 60),
    weekly=st.decimals(0, 100, places=3),
    monthly=st.decimals(0, 100, places=3),
)
def test_one_long_stay_discount_at_most_off_the_nights(length, weekly, monthly):
    prop = place(weekly_discount=weekly, monthly_discount=monthly, cleaning_fee_minor=4000)
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=length), 2))
    discounts = [line for line in quote.lines if line.kind.endswith("_discount")]
    nights = 12000 * length
    if length >= 28 and monthly:
        expected = [-share(nights, monthly)]
    elif length >= 7 and weekly:
        expected = [-share(nights, weekly)]
    else:
        expected = []
    assert [line.amount.minor for line in discounts] == expected
    assert quote.total.minor == nights + sum(expected) + 4000


# --- guests beyond those included ---------------------------------------------------------


@given(included=st.integers(1, 6), guests=st.integers(1, 8), length=st.integers(1, 10))
def test_each_guest_beyond_those_included_pays_the_fee_each_night(included, guests, length):
    prop = place(guests_included=included, extra_guest_fee_minor=1500, max_guests=8)
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=length), guests))
    extra = [line for line in quote.lines if line.kind == "extra_guests"]
    if guests <= included:
        assert extra == []
    else:
        [line] = extra
        assert (line.quantity, line.nights, line.unit.minor) == (guests - included, length, 1500)
        assert line.amount.minor == 1500 * (guests - included) * length


@pytest.mark.parametrize(("guests", "fee"), [(2, 0), (3, 3 * 1500)])
def test_the_fee_starts_with_the_first_guest_beyond_those_included(guests, fee):
    prop = place(guests_included=2, extra_guest_fee_minor=1500)
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=3), guests))
    assert quote.total.minor == 3 * 12000 + fee


# --- taxes --------------------------------------------------------------------------------


def test_the_tax_is_taken_after_the_discount_with_the_cleaning_fee_and_extra_guests():
    prop = place(
        cleaning_fee_minor=4000,
        guests_included=2,
        extra_guest_fee_minor=1000,
        weekly_discount=Decimal("10"),
        tax_percent=Decimal("8.875"),
        tourist_tax_minor=250,
    )
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=7), 3))
    # 7 x 120 + 7 x 10 = 910; -91.00; +40 cleaning = 859.00; 8.875 % = 76.23625 -> 76.24;
    # tourist tax 3 guests x 7 nights x 2.50 = 52.50, not taxed.
    assert lines(quote) == [
        ("nights", 7, 84000),
        ("extra_guests", 1, 7000),
        ("weekly_discount", 1, -9100),
        ("cleaning_fee", 1, 4000),
        ("tax", 1, 7624),
        ("tourist_tax", 3, 5250),
    ]
    assert str(quote.total) == "987.74"


@given(
    length=st.integers(1, 40),
    guests=st.integers(1, 4),
    tax=st.decimals(0, 100, places=3),
    tourist=st.integers(0, 1000),
)
def test_taxes_are_a_rounded_share_and_an_amount_per_guest_and_night(length, guests, tax, tourist):
    prop = place(tax_percent=tax, tourist_tax_minor=tourist, cleaning_fee_minor=4000)
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=length), guests))
    taxed = 12000 * length + 4000
    by_kind = {line.kind: line.amount.minor for line in quote.lines}
    assert by_kind.get("tax", 0) == share(taxed, tax)
    assert by_kind.get("tourist_tax", 0) == tourist * guests * length
    assert quote.total.minor == sum(by_kind.values())


# --- every currency's decimals ------------------------------------------------------------


def test_yen_shares_round_to_whole_yen_halves_up():
    prop = place(
        currency="JPY",
        nightly_rate_minor=10001,
        weekend_rate_minor=10001,
        tax_percent=Decimal("5"),
    )
    # 3 x 10,001 = 30,003 yen; 5 % = 1,500.15 -> 1,500.
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=3), 2))
    assert [str(line.amount) for line in quote.lines] == ["30003", "1500"]
    prop.nightly_rate_minor = prop.weekend_rate_minor = 10010  # 30,030; 5 % = 1,501.5 -> 1,502
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=3), 2))
    assert quote.lines[-1].amount == Money(1502, "JPY")


def test_dinar_shares_keep_three_decimals_and_a_half_fils_goes_up():
    prop = place(
        currency="KWD",
        nightly_rate_minor=12345,
        weekend_rate_minor=12345,
        weekly_discount=Decimal("10"),
    )
    # 7 x 12.345 = 86.415 KWD; 10 % = 8.6415 -> 8.642.
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=7), 2))
    assert [str(line.amount) for line in quote.lines] == ["86.415", "-8.642"]
    assert str(quote.total) == "77.773"


# --- a reservation keeps its lines --------------------------------------------------------


def test_the_lines_a_reservation_keeps_read_back_the_same():
    prop = place(
        guests_included=1,
        extra_guest_fee_minor=1000,
        monthly_discount=Decimal("12.5"),
        tax_percent=Decimal("7.25"),
        tourist_tax_minor=300,
    )
    quote = price(prop, Stay(TODAY, TODAY + timedelta(days=28), 2))
    records = quote.to_records()
    assert {"kind": "monthly_discount", "percent": "12.5"}.items() <= records[2].items()
    assert Quote.from_records(records, "USD") == quote


def test_lines_kept_before_the_rules_existed_still_read():
    records = [{"kind": "nights", "quantity": 2, "unit_minor": 15000, "amount_minor": 30000}]
    [line] = Quote.from_records(records, "USD").lines
    assert (line.nights, line.percent, line.amount) == (None, None, Money(30000, "USD"))


# --- when a stay may be booked ------------------------------------------------------------


def test_advance_notice_moves_the_earliest_check_in():
    prop = place(advance_notice_days=2)
    fields = broken_rules(prop, Stay(TODAY + timedelta(days=1), TODAY + timedelta(days=4), 2))
    assert fields == {
        "check_in": [
            "The host needs notice before a stay: the earliest check-in here is 2031-03-05."
        ]
    }
    check_stay(prop, Stay(TODAY + timedelta(days=2), TODAY + timedelta(days=4), 2), TODAY)


def test_without_notice_a_guest_may_arrive_today():
    check_stay(place(), Stay(TODAY, TODAY + timedelta(days=2), 2), TODAY)


def test_a_past_check_in_is_reported_as_past_whatever_the_notice():
    fields = broken_rules(place(advance_notice_days=3), Stay(TODAY - timedelta(days=1), TODAY, 2))
    assert fields["check_in"] == ["Check-in cannot be in the past (today here is 2031-03-03)."]


def test_the_booking_horizon_is_the_places_own():
    prop = place(booking_horizon_days=90)
    last = TODAY + timedelta(days=90)
    check_stay(prop, Stay(last - timedelta(days=1), last + timedelta(days=1), 2), TODAY)
    fields = broken_rules(prop, Stay(last, last + timedelta(days=2), 2))
    assert fields["check_out"] == [
        "Bookings open up to 90 days ahead: choose a check-out on or before 2031-06-02."
    ]
