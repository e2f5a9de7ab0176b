"""The host sets a place's prices and rules and its seasons on the "Prices and rules" page."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from innkeeper.activity.models import Activity
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.pricing.models import Season, SeasonNight
from innkeeper.properties.models import Property
from tests.helpers import count_rows, database_snapshot

RULES = {
    "weekly_discount": "10",
    "monthly_discount": "22.5",
    "guests_included": "2",
    "extra_guest_fee": "15.00",
    "tax_percent": "8.875",
    "tourist_tax": "2.50",
    "advance_notice_days": "2",
    "booking_horizon_days": "180",
    "preparation_days": "1",
}
SUMMER = {"start": "2031-07-01", "end": "2031-09-01", "nightly_rate": "200.00"}


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def cabin(make_property) -> Property:
    return make_property(slug="cabin", name="Cabin")


def fresh(prop: Property) -> Property:
    db.session.rollback()  # read what the requests committed
    return db.session.get(Property, prop.id)


def seasons(prop: Property) -> list[tuple]:
    db.session.rollback()
    rows = db.session.scalars(select(Season).filter_by(property_id=prop.id).order_by("start_date"))
    return [
        (s.start_date, s.end_date, s.nightly_rate_minor, s.weekend_rate_minor, s.min_nights)
        for s in rows
    ]


def test_the_places_page_links_to_its_prices_and_rules(client, host, cabin):
    html = client.get("/host/properties/cabin").get_data(as_text=True)
    assert 'href="/host/properties/cabin/pricing"' in html
    page = client.get("/host/properties/cabin/pricing")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for name in [*RULES, *SUMMER, "weekend_rate", "min_nights"]:
        assert f'name="{name}"' in text
    assert "No seasons yet" in text


def test_the_pages_need_a_signed_in_host(client, cabin):
    before = database_snapshot()
    assert client.get("/host/properties/cabin/pricing").status_code == 302
    for path in ("/host/properties/cabin/pricing", "/host/properties/cabin/seasons"):
        assert client.post(path, data={**RULES, **SUMMER}).status_code in (302, 400)
    assert database_snapshot() == before


def test_saving_the_rules_stores_them_and_logs_who_changed_what(client, host, cabin):
    response = host.post("/host/properties/cabin/pricing", RULES)
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/properties/cabin/pricing"
    prop = fresh(cabin)
    assert (prop.weekly_discount, prop.monthly_discount, prop.tax_percent) == (
        Decimal("10"),
        Decimal("22.5"),
        Decimal("8.875"),
    )
    assert (prop.extra_guest_fee_minor, prop.tourist_tax_minor) == (1500, 250)
    assert (prop.advance_notice_days, prop.booking_horizon_days, prop.preparation_days) == (
        2,
        180,
        1,
    )
    entry = db.session.scalar(select(Activity).filter_by(action="pricing.updated"))
    assert (entry.actor, entry.subject) == (host.email, "Cabin")
    assert entry.changes["tax_percent"] == ["0 %", "8.875 %"]
    assert entry.changes["tourist_tax"] == ["0.00 USD", "2.50 USD"]
    activity = client.get("/host/activity/").get_data(as_text=True)
    assert "changed the prices and rules of" in activity


def test_the_page_shows_the_rules_as_saved(client, host, cabin):
    host.post("/host/properties/cabin/pricing", RULES)
    html = client.get("/host/properties/cabin/pricing").get_data(as_text=True)
    assert re.search(r'<input [^>]*name="monthly_discount"[^>]*value="22.5"', html)
    assert re.search(r'<input [^>]*name="tourist_tax"[^>]*value="2.50"', html)


def test_rules_left_out_keep_their_values(client, host, cabin):
    host.post("/host/properties/cabin/pricing", RULES)
    assert host.post("/host/properties/cabin/pricing", {"tax_percent": "5"}).status_code == 303
    prop = fresh(cabin)
    assert (prop.tax_percent, prop.weekly_discount, prop.booking_horizon_days) == (
        Decimal("5"),
        Decimal("10"),
        180,
    )


def test_saving_unchanged_rules_logs_nothing(client, host, cabin):
    host.post("/host/properties/cabin/pricing", RULES)
    host.post("/host/properties/cabin/pricing", RULES)
    assert count_rows("activity") == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weekly_discount", "ten", "Enter a percentage like 10 or 7.5."),
        ("weekly_discount", "101", "Enter a percentage from 0 to 100."),
        ("monthly_discount", "-1", "Enter a percentage from 0 to 100."),
        ("tax_percent", "7.1234", "Use at most three decimals."),
        ("tax_percent", "NaN", "Enter a percentage like 10 or 7.5."),
        ("extra_guest_fee", "15.005", "Enter an amount like 120.00"),
        ("tourist_tax", "-2", "zero or more"),
        ("tourist_tax", "", "Enter an amount, 0 for none."),
        ("guests_included", "0", "Enter a number from 1 to 100."),
        ("booking_horizon_days", "366", "Enter a number from 1 to 365."),
        ("advance_notice_days", "soon", "Enter a whole number."),
        ("preparation_days", "31", "Enter a number from 0 to 30."),
        ("advance_notice_days", "180", "shorter than how far ahead bookings open (180 days)"),
    ],
)
def test_invalid_rules_are_refused_beside_the_field_and_nothing_is_stored(
    client, host, cabin, field, value, message
):
    before = database_snapshot()
    response = host.post("/host/properties/cabin/pricing", {**RULES, field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-errors"' in html
    assert f'value="{value}"' in html  # what the host typed is kept
    assert 'value="2.50"' in html or field == "tourist_tax"
    assert database_snapshot() == before


def test_a_yen_place_takes_whole_yen_fees(client, host, make_property):
    make_property(slug="ryokan", currency="JPY", nightly_rate_minor=15000, weekend_rate_minor=15000)
    yen = {**RULES, "extra_guest_fee": "2000", "tourist_tax": "200"}
    assert host.post("/host/properties/ryokan/pricing", yen).status_code == 303
    refused = host.post("/host/properties/ryokan/pricing", {**yen, "tourist_tax": "200.5"})
    assert refused.status_code == 422
    assert "Enter an amount like 120" in refused.get_data(as_text=True)


# --- seasons ------------------------------------------------------------------------------


def test_a_season_is_added_with_its_weekend_rate_defaulting_to_its_nightly_rate(
    client, host, cabin
):
    response = host.post("/host/properties/cabin/seasons", SUMMER)
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/properties/cabin/pricing"
    assert seasons(cabin) == [(date(2031, 7, 1), date(2031, 9, 1), 20000, 20000, None)]
    assert count_rows("season_night") == 62  # every night of July and August
    html = client.get("/host/properties/cabin/pricing").get_data(as_text=True)
    assert "Jul 1, 2031" in html and "Aug 31, 2031" in html
    entry = db.session.scalar(select(Activity).filter_by(action="season.added"))
    assert entry.changes["start"] == [None, "2031-07-01"]


def test_a_season_keeps_its_own_weekend_rate_and_minimum(client, host, cabin):
    season = {**SUMMER, "weekend_rate": "250", "min_nights": "5"}
    assert host.post("/host/properties/cabin/seasons", season).status_code == 303
    assert seasons(cabin) == [(date(2031, 7, 1), date(2031, 9, 1), 20000, 25000, 5)]


def test_seasons_may_touch_end_to_start(client, host, cabin):
    host.post("/host/properties/cabin/seasons", SUMMER)
    autumn = {"start": "2031-09-01", "end": "2031-10-01", "nightly_rate": "150"}
    spring = {"start": "2031-06-01", "end": "2031-07-01", "nightly_rate": "150"}
    assert host.post("/host/properties/cabin/seasons", autumn).status_code == 303
    assert host.post("/host/properties/cabin/seasons", spring).status_code == 303
    assert [s[0] for s in seasons(cabin)] == [date(2031, 6, 1), date(2031, 7, 1), date(2031, 9, 1)]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2031-08-31", "2031-09-02"),  # shares the last night
        ("2031-06-01", "2031-07-02"),  # shares the first night
        ("2031-07-10", "2031-07-12"),  # inside
        ("2031-06-01", "2031-10-01"),  # around
    ],
)
def test_an_overlapping_season_is_refused_beside_the_dates(client, host, cabin, start, end):
    host.post("/host/properties/cabin/seasons", SUMMER)
    before = database_snapshot()
    response = host.post(
        "/host/properties/cabin/seasons", {"start": start, "end": end, "nightly_rate": "90"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="start-errors"' in html
    assert "overlaps another one, from 2031-07-01 to 2031-08-31" in html
    assert f'value="{start}"' in html
    assert database_snapshot() == before


def test_another_places_seasons_do_not_stand_in_the_way(client, host, cabin, make_property):
    make_property(slug="loft")
    host.post("/host/properties/cabin/seasons", SUMMER)
    assert host.post("/host/properties/loft/seasons", SUMMER).status_code == 303


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end": "2031-07-01"}, "end", "The season must end after its first night."),
        ({"end": "2031-06-01"}, "end", "The season must end after its first night."),
        ({"end": "2032-07-03"}, "end", "A season lasts at most 366 nights"),
        ({"start": ""}, "start", "Choose the season"),
        ({"start": "1 July"}, "start", "Enter a date as YYYY-MM-DD."),
        ({"nightly_rate": ""}, "nightly_rate", "Enter a rate."),
        ({"nightly_rate": "lots"}, "nightly_rate", "Enter an amount like 120.00"),
        ({"weekend_rate": "-5"}, "weekend_rate", "zero or more"),
        ({"min_nights": "0"}, "min_nights", "Enter a number from 1 to 365."),
    ],
)
def test_an_invalid_season_is_refused_beside_the_field_and_nothing_is_stored(
    client, host, cabin, fields, field, message
):
    before = database_snapshot()
    response = host.post("/host/properties/cabin/seasons", {**SUMMER, **fields})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-errors"' in html
    assert 'value="200.00"' in html or field == "nightly_rate"
    assert database_snapshot() == before


def test_the_database_refuses_two_seasons_on_one_night(app, cabin):
    with write_transaction() as session:
        first = Season(
            property_id=cabin.id,
            start_date=date(2031, 7, 1),
            end_date=date(2031, 7, 3),
            nightly_rate_minor=100,
            weekend_rate_minor=100,
        )
        second = Season(
            property_id=cabin.id,
            start_date=date(2031, 7, 2),
            end_date=date(2031, 7, 4),
            nightly_rate_minor=100,
            weekend_rate_minor=100,
        )
        session.add_all([first, second])
        session.flush()
        night = {"property_id": cabin.id, "night": date(2031, 7, 2)}
        session.execute(insert(SeasonNight), [{**night, "season_id": first.id}])
    with pytest.raises(IntegrityError), write_transaction() as session:
        session.execute(insert(SeasonNight), [{**night, "season_id": second.id}])


def test_removing_a_season_asks_first_then_frees_its_nights(client, host, cabin):
    host.post("/host/properties/cabin/seasons", SUMMER)
    db.session.rollback()
    [season_id] = db.session.scalars(select(Season.id))
    url = f"/host/properties/cabin/seasons/{season_id}/delete"
    html = client.get("/host/properties/cabin/pricing").get_data(as_text=True)
    assert f'href="{url}"' in html
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove the season" in confirm.get_data(as_text=True)
    assert count_rows("season") == 1  # asking changes nothing

    response = host.post(url)
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/properties/cabin/pricing"
    assert (count_rows("season"), count_rows("season_night")) == (0, 0)
    entry = db.session.scalar(select(Activity).filter_by(action="season.deleted"))
    assert entry.changes["start"] == ["2031-07-01", ""]


def test_a_season_of_another_place_or_none_is_not_found(client, host, cabin, make_property):
    make_property(slug="loft")
    host.post("/host/properties/loft/seasons", SUMMER)
    db.session.rollback()
    [season_id] = db.session.scalars(select(Season.id))
    assert client.get(f"/host/properties/cabin/seasons/{season_id}/delete").status_code == 404
    assert host.post(f"/host/properties/cabin/seasons/{season_id}/delete").status_code == 404
    assert host.post("/host/properties/cabin/seasons/999/delete").status_code == 404
    assert count_rows("season") == 1
