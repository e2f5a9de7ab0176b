"""The host creates, edits, publishes, hides and deletes places from the admin."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.properties.models import Property
from tests.helpers import count_rows, csrf_token_from, hidden_value, quote_url

PLACE = {
    "name": "Casa Ñandú",
    "description": "A house with a patio.",
    "currency": "EUR",
    "timezone": "Europe/Madrid",
    "nightly_rate": "95.50",
    "weekend_rate": "120",
    "cleaning_fee": "30.00",
    "min_nights": "2",
    "max_guests": "4",
    "published": "y",
}


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def place(slug: str) -> Property:
    db.session.rollback()  # read what the requests committed
    return db.session.scalar(select(Property).filter_by(slug=slug))


def test_a_new_place_is_listed_and_bookable_at_once(client, host, future):
    response = host.post("/host/properties", PLACE)
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/properties/casa-nandu"
    assert 'href="/properties/casa-nandu"' in client.get("/").get_data(as_text=True)
    check_in = future(10)
    while check_in.weekday() != 0:  # a Monday: two weeknights
        check_in += timedelta(days=1)
    quote = client.get(quote_url(place("casa-nandu"), check_in, check_in + timedelta(days=2)))
    assert quote.status_code == 200
    assert 'data-total="221.00"' in quote.get_data(as_text=True)


def test_creating_a_place_is_in_the_activity_log_with_who(client, host):
    host.post("/host/properties", PLACE)
    db.session.rollback()
    entry = db.session.scalar(select(Activity))
    assert (entry.action, entry.actor, entry.subject) == (
        "property.created",
        host.email,
        "Casa Ñandú",
    )
    assert entry.changes["nightly_rate"] == [None, "95.50 EUR"]
    assert "Casa Ñandú" in client.get("/host/activity/").get_data(as_text=True)


def test_an_unpublished_place_is_hidden_from_guests(client, host):
    host.post("/host/properties", {**PLACE, "published": ""})
    assert client.get("/properties/casa-nandu").status_code == 404
    assert "casa-nandu" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Give the place a name."),
        ("name", "Two\nlines", "Use one line"),
        ("slug", "Not A Slug!", "Use lowercase letters"),
        ("currency", "EURO", "ISO 4217"),
        ("timezone", "Mars/Olympus", "time zone like"),
        ("nightly_rate", "ninety", "Enter an amount like 120.00"),
        ("nightly_rate", "95.505", "Enter an amount like 120.00"),
        ("cleaning_fee", "-5", "zero or more"),
        ("min_nights", "0", "from 1 to 365"),
        ("max_guests", "many", "whole number"),
    ],
)
def test_invalid_input_is_refused_with_a_message_beside_the_field(
    client, host, field, value, message
):
    response = host.post("/host/properties", {**PLACE, field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-errors"' in html
    assert "A house with a patio." in html  # what the host typed is kept
    assert count_rows("property") == 0
    assert count_rows("activity") == 0


def test_a_zero_decimal_currency_takes_whole_amounts_only(client, host):
    yen = {**PLACE, "currency": "JPY", "nightly_rate": "15000", "weekend_rate": "18000"}
    yen["cleaning_fee"] = "3000"
    assert host.post("/host/properties", yen).status_code == 303
    assert place("casa-nandu").nightly_rate.minor == 15000
    refused = host.post("/host/properties", {**yen, "slug": "other", "nightly_rate": "15000.5"})
    assert refused.status_code == 422


def test_a_taken_slug_is_refused(client, host, make_property):
    make_property(slug="casa-nandu")
    response = host.post("/host/properties", PLACE)
    assert response.status_code == 422
    assert "already has the address /properties/casa-nandu" in response.get_data(as_text=True)


def test_submitting_the_same_form_twice_creates_one_place(client, host):
    form = client.get("/host/properties/new").get_data(as_text=True)
    key = hidden_value(form, "submission_key")
    first = host.post("/host/properties", {**PLACE, "submission_key": key})
    second = host.post("/host/properties", {**PLACE, "submission_key": key})
    assert first.headers["Location"] == second.headers["Location"] == "/host/properties/casa-nandu"
    assert count_rows("property") == 1


def test_an_edit_changes_the_fields_sent_and_keeps_the_rest(client, host, make_property):
    prop = make_property(slug="cabin", max_guests=3)
    response = host.post("/host/properties/cabin", {"nightly_rate": "110.00", "area": "Hills"})
    assert response.status_code == 303
    edited = place("cabin")
    assert (str(edited.nightly_rate), edited.area, edited.max_guests) == ("110.00", "Hills", 3)
    assert edited.name == prop.name
    entry = db.session.scalar(select(Activity).filter_by(action="property.updated"))
    assert entry.changes == {"nightly_rate": ["100.00 USD", "110.00 USD"], "area": ["", "Hills"]}


def test_a_new_price_applies_to_new_quotes_and_a_booking_keeps_its_own(
    client, host, make_property, make_reservation, future
):
    prop = make_property(slug="cabin", nightly_rate_minor=10000, weekend_rate_minor=10000)
    reservation = make_reservation(prop, future(20), future(22))
    host.post("/host/properties/cabin", {"nightly_rate": "200.00", "weekend_rate": "200.00"})
    quote = client.get(quote_url(prop, future(30), future(32))).get_data(as_text=True)
    assert 'data-total="440.00"' in quote
    db.session.refresh(reservation)
    assert str(reservation.total) == "240.00"


def test_an_invalid_edit_stores_nothing(client, host, make_property):
    make_property(slug="cabin")
    response = host.post("/host/properties/cabin", {"nightly_rate": "lots", "area": "Hills"})
    assert response.status_code == 422
    assert place("cabin").area == ""


def test_a_renamed_address_redirects_from_the_old_one(client, host, make_property):
    make_property(slug="cabin")
    assert host.post("/host/properties/cabin", {"slug": "pine-cabin"}).status_code == 303
    page = client.get("/properties/cabin")
    assert (page.status_code, page.headers["Location"]) == (301, "/properties/pine-cabin")
    feed = client.get("/properties/cabin/calendar.ics")
    assert feed.headers["Location"] == "/properties/pine-cabin/calendar.ics"
    month = client.get("/properties/cabin/calendar?month=2031-01")
    assert month.headers["Location"] == "/properties/pine-cabin/calendar?month=2031-01"


def test_another_place_cannot_take_a_former_address(client, host, make_property):
    make_property(slug="cabin")
    host.post("/host/properties/cabin", {"slug": "pine-cabin"})
    response = host.post("/host/properties", {**PLACE, "slug": "cabin"})
    assert response.status_code == 422


def test_publish_and_unpublish_show_and_hide_the_place(client, host, make_property):
    make_property(slug="cabin")
    assert host.post("/host/properties/cabin/unpublish").status_code == 303
    assert client.get("/properties/cabin").status_code == 404
    assert client.get("/properties/cabin/calendar.ics").status_code == 200
    assert host.post("/host/properties/cabin/unpublish").status_code == 303  # no change
    assert count_rows("activity") == 1
    host.post("/host/properties/cabin/publish")
    assert client.get("/properties/cabin").status_code == 200


def test_a_place_with_a_stay_to_come_cannot_be_deleted(
    client, host, make_property, make_reservation
):
    prop = make_property(slug="cabin")
    make_reservation(prop)
    assert "Delete the place" in client.get("/host/properties/cabin/delete").get_data(as_text=True)
    response = host.post("/host/properties/cabin/delete")
    assert response.status_code == 409
    assert "1 stays still to come" in response.get_data(as_text=True)
    assert place("cabin").deleted_at is None


def test_a_deleted_place_is_gone_for_guests_and_hosts(client, host, make_property):
    make_property(slug="cabin")
    assert host.post("/host/properties/cabin/delete").status_code == 303
    assert client.get("/properties/cabin").status_code == 404
    assert client.get("/host/properties/cabin").status_code == 404
    assert "cabin" not in client.get("/host/properties").get_data(as_text=True)


def test_a_post_from_someone_signed_out_changes_nothing(client, app, make_property):
    make_property(slug="cabin")
    anonymous = app.test_client()
    token = csrf_token_from(anonymous.get("/host/login").get_data(as_text=True))
    response = anonymous.post("/host/properties/cabin/unpublish", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/host/login")
    assert place("cabin").published


@pytest.mark.parametrize("path", ["/host/properties", "/host/properties/new"])
def test_host_place_pages_answer_a_fragment_to_htmx(client, host, path):
    html = client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in html
    assert "Places" in html or "Add a place" in html
