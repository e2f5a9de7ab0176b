"""Money: integer minor units with each currency's own decimals, never a float."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innkeeper.money import Money, MoneyError, decimals, total


@pytest.mark.parametrize(
    ("text", "currency", "minor", "shown"),
    [
        ("120.00", "USD", 12000, "120.00"),
        ("85", "EUR", 8500, "85.00"),
        ("15000", "JPY", 15000, "15000"),
        ("1.250", "KWD", 1250, "1.250"),
        ("0.5", "USD", 50, "0.50"),
    ],
)
def test_amounts_are_parsed_in_the_currencys_decimals(text, currency, minor, shown):
    money = Money.parse(text, currency)
    assert money == Money(minor, currency)
    assert str(money) == shown


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1.005", "USD"),
        ("10.5", "JPY"),
        ("1.0005", "KWD"),
        ("abc", "USD"),
        ("NaN", "EUR"),
        ("", "USD"),
    ],
)
def test_amounts_finer_than_the_currency_or_not_numbers_are_refused(text, currency):
    with pytest.raises(MoneyError):
        Money.parse(text, currency)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(100, "USD") * 1.5  # type: ignore[operator]


def test_currencies_do_not_mix():
    with pytest.raises(TypeError):
        Money(100, "USD") + Money(100, "EUR")


def test_formatting_follows_the_locale():
    assert Money(123450, "USD").format("en") == "$1,234.50"
    assert Money(123450, "EUR").format("es") == "1.234,50\xa0€"
    assert Money(15000, "JPY").format("en") == "¥15,000"


def test_percent_rounds_half_up_to_the_smallest_unit():
    assert Money(1005, "USD").percent(50) == Money(503, "USD")
    assert Money(999, "JPY").percent(Decimal("33.3")) == Money(333, "JPY")


@given(
    minor=st.integers(min_value=0, max_value=10**9),
    percent=st.integers(min_value=0, max_value=100),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
)
def test_a_share_and_its_rest_always_add_up_to_the_whole(minor, percent, currency):
    whole = Money(minor, currency)
    share = whole.percent(percent)
    rest = whole - share
    assert share + rest == whole
    assert Money.zero(currency) <= share <= whole
    assert Money.parse(str(whole), currency) == whole


def test_total_of_nothing_is_zero_in_the_currency():
    assert total([], "JPY") == Money(0, "JPY")
    assert total([Money(1, "KWD"), Money(2, "KWD")], "KWD") == Money(3, "KWD")
    assert decimals("KWD") == 3
