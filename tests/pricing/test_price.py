"""Pricing and stay rules as plain functions, without a database."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innkeeper.availability.services import nights_of
from innkeeper.exceptions import InvalidStay
from innkeeper.money import Money
from innkeeper.pricing.services import Stay, check_stay, price
from tests.helpers import unsaved_seashell_house

TODAY = date(2031, 3, 3)  # a Monday


seashell = unsaved_seashell_house


def usd(amount: str) -> Money:
    return Money.parse(amount, "USD")


def broken_rules(prop, stay, today=TODAY) -> dict[str, list[str]]:
    with pytest.raises(InvalidStay) as caught:
        check_stay(prop, stay, today)
    return caught.value.fields


def test_friday_and_saturday_nights_take_the_weekend_rate():
    # Thursday 6 March to Monday 10 March: Thu, Fri, Sat, Sun nights.
    quote = price(seashell(), Stay(date(2031, 3, 6), date(2031, 3, 10), 2))
    assert [(line.kind, line.quantity, line.unit, line.amount) for line in quote.lines] == [
        ("nights", 2, usd("120.00"), usd("240.00")),
        ("nights", 2, usd("150.00"), usd("300.00")),
        ("cleaning_fee", 1, None, usd("40.00")),
    ]
    assert quote.total == usd("580.00")


def test_cleaning_fee_is_added_once_per_stay():
    prop = seashell(cleaning_fee_minor=2500, weekend_rate_minor=12000)
    assert price(prop, Stay(date(2031, 3, 3), date(2031, 3, 4), 1)).total.minor == 14500
    assert price(prop, Stay(date(2031, 3, 3), date(2031, 3, 10), 1)).total.minor == 86500


def test_contract_example_three_weeknights_at_seashell_house():
    # Mon-Thu nights: 3 x 120 + 40 cleaning.
    quote = price(seashell(), Stay(date(2031, 3, 3), date(2031, 3, 6), 2))
    assert str(quote.total) == "400.00"


def test_a_stay_shorter_than_min_nights_is_refused_on_check_out():
    fields = broken_rules(seashell(min_nights=3), Stay(TODAY, TODAY + timedelta(days=2), 2))
    assert fields == {"check_out": ["This place takes stays of at least 3 nights."]}


def test_min_nights_is_met_exactly():
    check_stay(seashell(min_nights=3), Stay(TODAY, TODAY + timedelta(days=3), 2), TODAY)


@pytest.mark.parametrize("guests", [0, 5, -1])
def test_guests_outside_one_to_max_are_refused(guests):
    fields = broken_rules(seashell(), Stay(TODAY, TODAY + timedelta(days=2), guests))
    assert fields == {"guests": ["This place sleeps 1 to 4 guests."]}


def test_check_out_before_check_in_is_refused():
    fields = broken_rules(seashell(), Stay(TODAY + timedelta(days=3), TODAY, 2))
    assert fields == {"check_out": ["Check-out must be after check-in."]}


def test_same_day_check_out_is_refused():
    fields = broken_rules(seashell(), Stay(TODAY, TODAY, 2))
    assert "check_out" in fields


def test_a_night_before_today_is_refused():
    fields = broken_rules(seashell(), Stay(TODAY - timedelta(days=1), TODAY + timedelta(days=2), 2))
    assert fields["check_in"] == ["Check-in cannot be in the past (today here is 2031-03-03)."]


def test_the_last_night_may_be_365_days_ahead_but_not_366():
    last_ok = TODAY + timedelta(days=365)
    check_stay(seashell(), Stay(last_ok - timedelta(days=1), last_ok + timedelta(days=1), 2), TODAY)
    fields = broken_rules(seashell(), Stay(last_ok, last_ok + timedelta(days=2), 2))
    assert "365 days ahead" in fields["check_out"][0]


def test_every_broken_rule_is_reported_at_once():
    fields = broken_rules(
        seashell(min_nights=3), Stay(TODAY - timedelta(days=1), TODAY + timedelta(days=1), 9)
    )
    assert set(fields) == {"check_in", "check_out", "guests"}


def test_today_is_the_property_local_date_not_utc():
    # 03:00 UTC on 4 March is still 3 March in Cancun (UTC-5) and already 4 March in Tokyo.
    moment = datetime(2031, 3, 4, 3, 0, tzinfo=UTC)
    assert seashell(timezone="America/Cancun").local_today(moment) == date(2031, 3, 3)
    assert seashell(timezone="Asia/Tokyo").local_today(moment) == date(2031, 3, 4)
    assert seashell(timezone="UTC").local_today(moment) == date(2031, 3, 4)


dates = st.dates(min_value=date(2030, 1, 1), max_value=date(2040, 12, 31))


@given(check_in=dates, length=st.integers(min_value=1, max_value=60))
def test_nights_are_the_half_open_range(check_in, length):
    check_out = check_in + timedelta(days=length)
    nights = nights_of(check_in, check_out)
    assert len(nights) == length
    assert nights[0] == check_in
    assert nights[-1] == check_out - timedelta(days=1)
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(nights))


@given(check_in=dates, length=st.integers(min_value=1, max_value=60))
def test_total_is_the_sum_of_nightly_rates_plus_cleaning(check_in, length):
    prop = seashell()
    stay = Stay(check_in, check_in + timedelta(days=length), 2)
    weekend_nights = sum(1 for night in stay.nights if night.weekday() in (4, 5))
    expected = weekend_nights * 15000 + (length - weekend_nights) * 12000 + 4000
    assert price(prop, stay).total.minor == expected


@given(
    first=dates,
    first_length=st.integers(1, 20),
    gap=st.integers(-25, 25),
    second_length=st.integers(1, 20),
)
def test_stays_share_a_night_exactly_when_their_ranges_overlap(
    first, first_length, gap, second_length
):
    second = first + timedelta(days=gap)
    a = set(nights_of(first, first + timedelta(days=first_length)))
    b = set(nights_of(second, second + timedelta(days=second_length)))
    overlaps = first < second + timedelta(days=second_length) and second < first + timedelta(
        days=first_length
    )
    assert bool(a & b) == overlaps


def test_a_stay_spanning_centuries_is_judged_without_listing_its_nights():
    stay = Stay(TODAY, date(9999, 12, 31), 2)
    assert stay.length == (date(9999, 12, 31) - TODAY).days
    fields = broken_rules(seashell(), stay)
    assert "365 days ahead" in fields["check_out"][0]
