"""The cached calendar follows the rates, seasons and rules it shows, not only its nights."""

import re
from datetime import timedelta

from innkeeper.extensions import db
from innkeeper.money import Money
from innkeeper.pricing.services import add_season, delete_season, update_rules
from tests.helpers import HX, month_of


def rate_of(html: str, day) -> str:
    cell = re.search(rf'data-date="{day.isoformat()}".*?</td>', html, re.S)[0]
    return re.search(r'class="rate">([^<]+)<', cell)[1]


def fetch(client, prop, day, etag=None):
    headers = {**HX, **({"If-None-Match": etag} if etag else {})}
    return client.get(f"/properties/{prop.slug}/calendar?month={month_of(day)}", headers=headers)


def test_a_new_season_shows_its_price_and_an_unchanged_calendar_answers_304(
    client, make_property, future
):
    prop = make_property(nightly_rate_minor=10000, weekend_rate_minor=10000, currency="USD")
    day = future(40)
    first = fetch(client, prop, day)
    assert rate_of(first.get_data(as_text=True), day) == "$100"
    assert fetch(client, prop, day, first.headers["ETag"]).status_code == 304

    season = add_season(prop, day, day + timedelta(days=3), Money(17500, "USD"))

    changed = fetch(client, prop, day, first.headers["ETag"])
    assert changed.status_code == 200
    assert rate_of(changed.get_data(as_text=True), day) == "$175"
    # The property page renders the same key: it shows the new price too.
    page = client.get(f"/properties/{prop.slug}?month={month_of(day)}").get_data(as_text=True)
    assert rate_of(page, day) == "$175"
    assert fetch(client, prop, day, changed.headers["ETag"]).status_code == 304

    delete_season(prop, season.id)
    db.session.expire_all()
    assert rate_of(fetch(client, prop, day).get_data(as_text=True), day) == "$100"


def test_rates_and_minimum_stay_changed_by_any_writer_show_at_once(client, make_property, future):
    prop = make_property(nightly_rate_minor=10000, weekend_rate_minor=10000, min_nights=2)
    day = future(40)
    before = fetch(client, prop, day)
    assert "2 nights minimum" in before.get_data(as_text=True)

    prop.nightly_rate_minor = prop.weekend_rate_minor = 12000
    prop.min_nights = 3
    db.session.commit()
    after = fetch(client, prop, day, before.headers["ETag"])
    assert after.status_code == 200
    html = after.get_data(as_text=True)
    assert rate_of(html, day) == "$120" and "3 nights minimum" in html

    update_rules(prop, {"preparation_days": 1})
    assert fetch(client, prop, day, after.headers["ETag"]).status_code == 200


def test_a_season_minimum_marks_the_days_that_cannot_start_a_stay(
    client, make_property, make_reservation, future
):
    prop = make_property(min_nights=1)
    day = future(40)
    make_reservation(prop, day + timedelta(days=6), day + timedelta(days=8))
    add_season(prop, day, day + timedelta(days=10), Money(10000, prop.currency), min_nights=4)
    html = fetch(client, prop, day).get_data(as_text=True)
    cell = re.search(rf'<td data-date="{day.isoformat()}"[^>]*>', html)[0]
    assert 'data-min="4"' in cell and 'data-start="true"' in cell
    later = re.search(rf'<td data-date="{(day + timedelta(days=3)).isoformat()}"[^>]*>', html)[0]
    assert 'data-available="true"' in later and 'data-start="false"' in later
