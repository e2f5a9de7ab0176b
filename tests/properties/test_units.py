"""A place with units (the rooms of an inn): its page lists them, free or not for the dates
a guest chooses, with their price; each unit keeps its own calendar, ledger and feed."""

import json
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from innkeeper.exceptions import BookedByUnit
from innkeeper.extensions import db
from innkeeper.pricing.services import Stay
from innkeeper.reservations.services import Guest, reserve
from tests.helpers import HX, count_rows, csrf_token_from, quote_url

# A Monday; the stay asked about is three weeknights a week later.
TODAY = datetime(2031, 3, 3, 12, tzinfo=UTC)
CHECK_IN, CHECK_OUT = date(2031, 3, 10), date(2031, 3, 13)
STAY = f"check_in={CHECK_IN}&check_out={CHECK_OUT}&guests=2"


@pytest.fixture
def inn(make_property, time_machine):
    """The Old Inn with two rooms: a small one in euros, a larger one priced in dollars."""
    time_machine.move_to(TODAY, tick=False)
    inn = make_property(slug="old-inn", name="The Old Inn", currency="EUR", area="Porto")
    make_property(
        slug="small-room",
        name="Small Room",
        parent_id=inn.id,
        currency="EUR",
        nightly_rate_minor=8000,
        weekend_rate_minor=9500,
        cleaning_fee_minor=1000,
        max_guests=2,
    )
    make_property(
        slug="large-room",
        name="Large Room",
        parent_id=inn.id,
        currency="USD",
        nightly_rate_minor=12000,
        weekend_rate_minor=12000,
        cleaning_fee_minor=0,
        max_guests=4,
    )
    db.session.expire_all()
    return inn


def room(html: str, slug: str) -> str:
    """The card of one room on the place's page."""
    match = re.search(rf'<li class="room-card" data-unit="{slug}".*?</li>', html, re.S)
    assert match, f"the page lists no room {slug}"
    return match.group(0)


def structured(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_place_page_lists_its_rooms_and_has_no_booking_form_of_its_own(client, inn):
    response = client.get("/properties/old-inn")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/properties/small-room"' in room(html, "small-room")
    assert "From €80.00 a night" in room(html, "small-room")
    assert "Sleeps 4 guests" in room(html, "large-room")
    assert 'id="booking"' not in html
    assert "/properties/inn/reservations" not in html and "/reservations/" not in html.replace(
        'href="/reservations/find"', ""
    )
    assert 'data-free="' not in html  # no dates, no verdict


def test_dates_show_a_taken_room_taken_and_a_free_one_with_its_price_in_its_currency(
    client, inn, make_reservation
):
    small, large = inn.units[1], inn.units[0]
    make_reservation(small, date(2031, 3, 11), date(2031, 3, 12))

    response = client.get(f"/properties/old-inn?{STAY}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    taken = room(html, "small-room")
    assert 'data-free="false"' in taken
    assert "already taken: 2031-03-11" in taken
    free = room(html, "large-room")
    assert 'data-free="true"' in free
    assert 'data-total="360.00" data-currency="USD"' in free
    # The same price its own quote URL gives, and a link that opens its page with the stay.
    own_quote = client.get(quote_url(large, CHECK_IN, CHECK_OUT)).get_data(as_text=True)
    assert 'data-total="360.00" data-currency="USD"' in own_quote
    link = f"/properties/large-room?check_in={CHECK_IN}&amp;check_out={CHECK_OUT}&amp;guests=2"
    assert link in free
    assert html.index('data-unit="large-room"') < html.index('data-unit="small-room"')


def test_the_reserve_link_opens_the_rooms_page_with_the_stay_and_its_price(client, inn):
    page = client.get(f"/properties/large-room?{STAY}").get_data(as_text=True)

    assert f'value="{CHECK_IN}"' in page
    assert 'data-total="360.00" data-currency="USD"' in page
    assert 'href="/properties/old-inn"' in page  # back to every room of the inn


def test_a_room_too_small_for_the_party_says_so_and_the_other_is_offered(client, inn):
    html = client.get(f"/properties/old-inn?check_in={CHECK_IN}&check_out={CHECK_OUT}&guests=3")

    assert html.status_code == 200
    body = html.get_data(as_text=True)
    assert "sleeps 1 to 2 guests" in room(body, "small-room")
    assert 'data-free="true"' in room(body, "large-room")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("check_in=2031-03-13&check_out=2031-03-10", "check_out", "must be after check-in"),
        ("check_in=2031-03-01&check_out=2031-03-04", "check_in", "cannot be in the past"),
        ("check_in=2031-02-30&check_out=2031-03-04", "check_in", ""),
        ("check_in=2031-03-10&check_out=", "check_out", "Choose a check-out date."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_wrong_dates_answer_422_with_the_message_beside_the_field(
    client, inn, query, field, message, headers
):
    response = client.get(f"/properties/old-inn?{query}&guests=2", headers=headers)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(rf'id="{field}-errors">(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    assert f'value="{query.split("&")[0].split("=")[1]}"' in html  # what the guest typed
    assert 'data-free="' not in html
    assert ("<html" in html) is not bool(headers)


def test_htmx_gets_the_rooms_block_alone_and_the_same_url_the_whole_page(client, inn):
    fragment = client.get(f"/properties/old-inn?{STAY}", headers=HX)
    page = client.get(f"/properties/old-inn?{STAY}")

    assert fragment.status_code == page.status_code == 200
    assert "HX-Request" in fragment.headers["Vary"]
    body = fragment.get_data(as_text=True)
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="rooms"')
    assert 'data-free="true"' in body
    assert "<html" in page.get_data(as_text=True)


def test_the_place_itself_takes_no_booking_and_stores_nothing(client, inn, book):
    # A form of a room's page, posted to the place's address.
    token = csrf_token_from(client.get("/properties/small-room").get_data(as_text=True))
    response = client.post(
        "/properties/old-inn/reservations",
        data={
            "csrf_token": token,
            "check_in": str(CHECK_IN),
            "check_out": str(CHECK_OUT),
            "guests": "2",
            "name": "Ada Lovelace",
            "email": "ada@example.com",
        },
    )

    assert response.status_code == 409
    assert "booked room by room" in response.get_data(as_text=True)
    assert count_rows("reservation") == 0
    assert count_rows("night") == 0
    with pytest.raises(BookedByUnit):
        reserve(inn, Stay(CHECK_IN, CHECK_OUT, 2), Guest("Ada", "ada@example.com"))
    assert count_rows("reservation") == 0


def test_the_places_calendar_price_and_widget_lead_to_its_page_with_the_stay(client, inn):
    for path in (f"quote?{STAY}", "calendar?month=2031-03", f"embed?{STAY}"):
        response = client.get(f"/properties/old-inn/{path}")
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/properties/old-inn"), path
    assert client.get(f"/properties/old-inn/quote?{STAY}").headers["Location"] == (
        f"/properties/old-inn?{STAY}"
    )
    # htmx asks for a piece of a page that the place does not have: a clear refusal.
    for path in (f"quote?{STAY}", "calendar?month=2031-03"):
        refused = client.get(f"/properties/old-inn/{path}", headers=HX)
        assert refused.status_code == 409, path
        assert "booked room by room" in refused.get_data(as_text=True)


def test_each_room_has_its_own_calendar_feed(client, inn, make_reservation):
    small = inn.units[1]
    make_reservation(small, CHECK_IN, CHECK_OUT)

    small_feed = client.get("/properties/small-room/calendar.ics").get_data(as_text=True)
    large_feed = client.get("/properties/large-room/calendar.ics").get_data(as_text=True)

    assert "DTSTART;VALUE=DATE:20310310" in small_feed
    assert "DTEND;VALUE=DATE:20310313" in small_feed
    assert "VEVENT" not in large_feed
    # The other room's calendar is untouched by it.
    march = client.get("/properties/large-room/calendar?month=2031-03", headers=HX)
    assert 'data-date="2031-03-11" data-available="true"' in march.get_data(as_text=True)


def test_the_list_of_places_shows_the_inn_once_with_its_rooms_and_lowest_price(client, inn):
    html = client.get("/").get_data(as_text=True)

    assert 'href="/properties/old-inn"' in html
    assert "2 rooms" in html
    assert "from €80.00 a night" in html
    assert 'href="/properties/small-room"' not in html
    assert 'href="/properties/large-room"' not in html


def test_search_engines_read_a_lodging_business_with_its_rooms(client, inn):
    place = structured(client.get("/properties/old-inn").get_data(as_text=True))
    unit = structured(client.get("/properties/small-room").get_data(as_text=True))

    assert place["@type"] == "LodgingBusiness"
    assert [(r["@type"], r["name"]) for r in place["containsPlace"]] == [
        ("HotelRoom", "Large Room"),
        ("HotelRoom", "Small Room"),
    ]
    assert place["priceRange"] == "EUR 80.00-95.00"
    assert unit["@type"] == "VacationRental"
    assert unit["containedInPlace"]["url"] == "http://innkeeper.test/properties/old-inn"
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/properties/old-inn<" in sitemap and "/properties/small-room<" in sitemap


def test_a_hidden_room_is_not_offered(client, inn):
    small = inn.units[1]
    small.published = False
    db.session.commit()

    html = client.get(f"/properties/old-inn?{STAY}").get_data(as_text=True)

    assert 'data-unit="small-room"' not in html
    assert 'data-unit="large-room"' in html
    assert "1 room" in client.get("/").get_data(as_text=True)


def test_the_database_refuses_a_place_part_of_itself_or_deleted_under_its_units(app, inn):
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE property SET parent_id = id WHERE slug = 'old-inn'"))
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(text("DELETE FROM property WHERE slug = 'old-inn'"))
        db.session.commit()
    db.session.rollback()
    assert count_rows("property") == 3
