"""The rules as guests meet them: the quote, the calendar, booking, the stay and its mail."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innkeeper.availability.services import block_nights
from innkeeper.demo import load_demo
from innkeeper.pricing.services import add_season, update_rules
from innkeeper.properties.services import get_published
from tests.helpers import (
    booked,
    calendar_availability,
    database_snapshot,
    outbox,
    quote_url,
    reservations,
)

TIMES = "\N{MULTIPLICATION SIGN}"
# Examples share one database per test: each only reads, or undoes what it wrote.
DATABASE_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
RULES = {
    "weekly_discount_millipercent": 10_000,  # 10 %
    "guests_included": 2,
    "extra_guest_fee_minor": 1000,
    "tax_millipercent": 8_875,  # 8.875 %
    "tourist_tax_minor": 250,
}


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def quote(client, prop, check_in, check_out, guests=2):
    response = client.get(quote_url(prop, check_in, check_out, guests))
    return response.status_code, response.get_data(as_text=True)


def test_each_rule_is_a_line_of_the_quote(client, make_property, future):
    prop = make_property(
        nightly_rate_minor=12000, weekend_rate_minor=12000, cleaning_fee_minor=4000, **RULES
    )
    status, html = quote(client, prop, future(20), future(27), guests=3)
    assert status == 200
    for line in [
        f"7 nights {TIMES} $120.00</dt><dd>$840.00",
        f"1 extra guest {TIMES} $10.00 a night</dt><dd>$70.00",
        "Weekly discount (10%)</dt><dd>-$91.00",
        "Cleaning fee</dt><dd>$40.00",
        "Tax (8.875%)</dt><dd>$76.24",
        f"Tourist tax: 3 guests {TIMES} $2.50 a night</dt><dd>$52.50",
    ]:
        assert line in html
    assert 'data-total="987.74" data-currency="USD"' in html


def test_a_dinar_quote_keeps_three_decimals(client, make_property, future):
    prop = make_property(
        currency="KWD",
        nightly_rate_minor=12345,
        weekend_rate_minor=12345,
        cleaning_fee_minor=0,
        weekly_discount_millipercent=10_000,
    )
    status, html = quote(client, prop, future(20), future(27))
    assert status == 200
    assert 'data-total="77.773" data-currency="KWD"' in html


def test_the_demo_totals_are_unchanged(app, client, time_machine):
    time_machine.move_to(datetime(2031, 3, 1, 12, tzinfo=UTC), tick=False)
    load_demo()
    seashell, loft = get_published("seashell-house"), get_published("lighthouse-loft")
    monday = next_weekday(date(2031, 3, 10), 0)
    # Three weeknights at 120 and the cleaning fee; Friday and Saturday at 150.
    assert 'data-total="400.00"' in quote(client, seashell, monday, monday + timedelta(3))[1]
    friday = monday + timedelta(4)
    assert 'data-total="340.00"' in quote(client, seashell, friday, friday + timedelta(2))[1]
    # Seven nights: no discount, tax or fee the host has not set.
    assert 'data-total="940.00"' in quote(client, seashell, monday, monday + timedelta(7))[1]
    assert 'data-total="255.00"' in quote(client, loft, monday, monday + timedelta(3))[1]
    # The last night may be 365 days ahead.
    last = seashell.local_today() + timedelta(days=365)
    assert quote(client, seashell, last - timedelta(1), last + timedelta(1))[0] == 200
    assert quote(client, seashell, last, last + timedelta(2))[0] == 422


# --- seasons ------------------------------------------------------------------------------


@pytest.fixture
def summer(make_property):
    """A place at 100 a night all week, with a season of 200 (250 Fri/Sat) over July 2031."""
    prop = make_property(nightly_rate_minor=10000, weekend_rate_minor=10000, cleaning_fee_minor=0)
    add_season(prop, date(2031, 7, 1), date(2031, 8, 1), prop.nightly_rate * 2)
    return prop


@DATABASE_EXAMPLES
@given(edge=st.sampled_from([date(2031, 7, 1), date(2031, 8, 1)]), offset=st.integers(-3, 3))
def test_a_stay_across_a_season_edge_pays_each_night_its_own_rate(
    client, summer, time_machine, edge, offset
):
    time_machine.move_to(datetime(2031, 6, 1, 12, tzinfo=UTC), tick=False)
    check_in = edge + timedelta(days=offset)
    check_out = check_in + timedelta(days=4)
    in_season = sum(
        1 for i in range(4) if date(2031, 7, 1) <= check_in + timedelta(i) < date(2031, 8, 1)
    )
    expected = in_season * 200 + (4 - in_season) * 100
    status, html = quote(client, summer, check_in, check_out)
    assert status == 200
    assert f'data-total="{expected}.00"' in html


def test_a_season_minimum_holds_through_the_quote(client, make_property, time_machine):
    time_machine.move_to(datetime(2031, 6, 1, 12, tzinfo=UTC), tick=False)
    prop = make_property(min_nights=1)
    add_season(prop, date(2031, 7, 1), date(2031, 8, 1), prop.nightly_rate, min_nights=7)
    status, html = quote(client, prop, date(2031, 7, 25), date(2031, 7, 31))
    assert status == 422
    assert "Stays that begin from 2031-07-01 to 2031-07-31 take at least 7 nights." in html
    assert quote(client, prop, date(2031, 6, 30), date(2031, 7, 1))[0] == 200


# --- when a stay may be booked ------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2031, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(UTC)
)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
@DATABASE_EXAMPLES
@given(moment=moments, notice=st.integers(1, 3))
def test_advance_notice_counts_from_the_places_today_at_any_hour(
    client, make_property, time_machine, zone, moment, notice
):
    time_machine.move_to(moment, tick=False)
    prop = make_property(timezone=zone, advance_notice_days=notice, min_nights=1)
    earliest = prop.local_today() + timedelta(days=notice)
    too_soon = earliest - timedelta(days=1)
    status, html = quote(client, prop, too_soon, earliest)
    assert status == 422
    assert f"the earliest check-in here is {earliest.isoformat()}" in html
    assert quote(client, prop, earliest, earliest + timedelta(days=1))[0] == 200
    assert not calendar_availability(client, prop, too_soon)
    assert calendar_availability(client, prop, earliest)


def test_the_horizon_is_the_places_own_in_quotes_and_calendar(client, make_property, future):
    prop = make_property(booking_horizon_days=30, min_nights=1)
    last = future(30)
    assert quote(client, prop, last, last + timedelta(1))[0] == 200
    status, html = quote(client, prop, last + timedelta(1), last + timedelta(2))
    assert status == 422
    assert "Bookings open up to 30 days ahead" in html
    assert calendar_availability(client, prop, last)
    assert not calendar_availability(client, prop, last + timedelta(1))


@pytest.fixture
def prepared(make_property, make_reservation, future):
    """A place that keeps two nights free between stays, booked for the nights of days 10, 11."""
    prop = make_property(preparation_days=2, min_nights=1)
    make_reservation(prop, future(10), future(12))
    return prop


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [
        (7, 8, 200),  # leaves the nights of days 8 and 9 free
        (8, 9, 409),
        (9, 10, 409),
        (12, 13, 409),
        (13, 14, 409),
        (14, 15, 200),  # days 12 and 13 stay free
    ],
)
def test_a_stay_must_leave_the_preparation_nights_free(
    client, prepared, future, first, last, status
):
    code, html = quote(client, prepared, future(first), future(last))
    assert code == status
    if status == 409:
        assert "the host keeps nights free between stays to prepare the place (2" in html


def test_the_calendar_shows_the_preparation_nights_as_not_bookable(client, prepared, future):
    shown = {day: calendar_availability(client, prepared, future(day)) for day in range(6, 16)}
    assert shown == {day: day in (6, 7, 14, 15) for day in range(6, 16)}


def test_booking_too_close_to_another_stay_answers_409_and_stores_nothing(
    client, book, prepared, future
):
    before = database_snapshot()
    response = book(prepared, future(13), future(15))
    assert response.status_code == 409
    assert "to prepare the place" in response.get_data(as_text=True)
    assert database_snapshot() == before
    assert book(prepared, future(14), future(16)).status_code == 303


def test_a_block_is_kept_at_the_same_distance(client, make_property, future):
    prop = make_property(preparation_days=1, min_nights=1)
    block_nights(prop, future(10), future(12))
    assert quote(client, prop, future(12), future(13))[0] == 409
    assert quote(client, prop, future(13), future(14))[0] == 200


# --- a booked stay keeps its price --------------------------------------------------------


def test_a_reservation_keeps_its_lines_when_the_rules_change(client, book, make_property, future):
    prop = make_property(
        nightly_rate_minor=12000, weekend_rate_minor=12000, cleaning_fee_minor=4000, **RULES
    )
    link = booked(book(prop, future(20), future(27), guests=3))
    update_rules(prop, {"weekly_discount": Decimal("0"), "tax_percent": Decimal("20")})
    add_season(prop, future(20), future(30), prop.nightly_rate * 3)

    [reservation] = reservations()
    assert str(reservation.total) == "987.74"
    assert [line["kind"] for line in reservation.price_lines] == [
        "nights",
        "extra_guests",
        "weekly_discount",
        "cleaning_fee",
        "tax",
        "tourist_tax",
    ]
    page = client.get(link.page).get_data(as_text=True)
    assert "Weekly discount (10%)</dt><dd>-$91.00" in page
    assert 'data-total="987.74"' in page
    # New quotes take the new rules.
    assert 'data-total="987.74"' not in quote(client, prop, future(20), future(27), 3)[1]


def test_the_confirmation_lists_the_price_lines(book, make_property, future):
    prop = make_property(
        nightly_rate_minor=12000, weekend_rate_minor=12000, cleaning_fee_minor=4000, **RULES
    )
    booked(book(prop, future(20), future(27), guests=3))
    [confirmation] = outbox(kind="confirmation")
    for line in [
        f"- 7 nights {TIMES} $120.00: $840.00",
        f"- 1 extra guest {TIMES} $10.00 a night: $70.00",
        "- Weekly discount (10%): -$91.00",
        "- Tax (8.875%): $76.24",
        f"- Tourist tax: 3 guests {TIMES} $2.50 a night: $52.50",
        "Total: $987.74",
    ]:
        assert line in confirmation.text_body
    assert "Weekly discount (10%)" in confirmation.html_body
