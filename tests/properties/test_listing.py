"""The listing on the property page: each section shows when its field is filled, and only then."""

from datetime import time
from pathlib import Path

from innkeeper.config import PROJECT_ROOT
from innkeeper.properties.models import AMENITIES

FULL = {
    "area": "Ribeira, Porto",
    "address": "Rua da Fonte 7, 2nd floor",
    "amenities": ["wifi", "pool"],
    "amenities_note": "Towels for the pool in the hall.",
    "house_rules": "No smoking.\nQuiet after 10 pm.",
    "check_in_time": time(16),
    "check_out_time": time(10, 30),
    "host_contact": "Ana: +351 912 555 018",
}


def page_of(client, prop) -> str:
    response = client.get(f"/properties/{prop.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_full_listing_shows_area_amenities_rules_times_and_stay_limits(client, make_property):
    html = page_of(client, make_property(min_nights=3, max_guests=5, **FULL))
    assert (
        '<a href="https://www.openstreetmap.org/search?query=Ribeira%2C%20Porto" data-map-link>'
        "Ribeira, Porto"
    ) in html
    assert '<li data-amenity="wifi"><svg class="icon" aria-hidden="true" focusable="false">' in html
    assert '<use href="#icon-pool"/></svg>Pool</li>' in html
    assert "Towels for the pool in the hall." in html
    assert 'id="house-rules"' in html and "No smoking.\nQuiet after 10 pm." in html
    assert '<time datetime="16:00">4:00\u202fPM</time>' in html
    assert '<time datetime="10:30">10:30\u202fAM</time>' in html
    assert "Stays of 3 nights or more" in html and "Sleeps 5 guests" in html


def test_an_empty_listing_shows_no_empty_sections(client, make_property):
    html = page_of(client, make_property(amenities=[], house_rules="", area=""))
    for absent in ('id="amenities"', 'id="house-rules"', "data-map-link", "openstreetmap"):
        assert absent not in html


def test_the_street_address_and_host_contact_are_for_booked_guests_only(client, make_property):
    html = page_of(client, make_property(**FULL))
    assert "Rua da Fonte" not in html
    assert "+351 912 555 018" not in html


def test_every_amenity_has_an_icon_in_the_sprite():
    sprite = Path(PROJECT_ROOT, "templates/properties/_icons.html").read_text()
    for key in AMENITIES:
        assert f'<symbol id="icon-{key}" viewBox="0 0 24 24">' in sprite, key
