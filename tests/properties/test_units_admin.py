"""The host groups places: a unit is part of one place ("Part of"), one level deep."""

import re

import pytest
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.properties.models import Property
from tests.helpers import count_rows, database_snapshot

ROOM = {
    "name": "Blue Room",
    "description": "A room under the roof.",
    "currency": "EUR",
    "timezone": "Europe/Lisbon",
    "nightly_rate": "90",
    "weekend_rate": "110",
    "max_guests": "2",
    "published": "y",
}


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def inn(make_property):
    return make_property(
        slug="old-inn", name="The Old Inn", currency="EUR", timezone="Europe/Lisbon", area="Porto"
    )


def place(slug: str) -> Property:
    db.session.rollback()  # read what the requests committed
    return db.session.scalar(select(Property).filter_by(slug=slug))


def options(html: str) -> list[str]:
    select_ = re.search(r'<select[^>]*name="parent".*?</select>', html, re.S)
    assert select_, "the form has no Part of select"
    return re.findall(r'<option[^>]*value="([^"]*)"', select_.group(0))


def test_add_a_unit_starts_the_form_with_the_place_chosen_and_its_details(client, host, inn):
    html = client.get("/host/properties/new?parent=old-inn").get_data(as_text=True)

    assert re.search(r'<option selected value="old-inn">|<option value="old-inn" selected>', html)
    assert 'value="Porto"' in html  # the area comes from the place
    assert "<h1>Add a room or unit</h1>" in html
    assert "<title>Add a room or unit" in html


def test_a_unit_is_created_part_of_its_place_and_listed_on_the_places_host_page(client, host, inn):
    response = host.post("/host/properties", {**ROOM, "parent": "old-inn"})

    assert response.status_code == 303
    assert place("blue-room").parent.slug == "old-inn"
    page = client.get("/host/properties/old-inn").get_data(as_text=True)
    assert 'href="/host/properties/blue-room"' in page
    assert 'href="/host/properties/new?parent=old-inn"' in page
    unit_page = client.get("/host/properties/blue-room").get_data(as_text=True)
    assert 'href="/host/properties/old-inn"' in unit_page
    assert "Room of The Old Inn" in client.get("/host/properties").get_data(as_text=True)


def test_the_contracts_fields_alone_make_a_place_of_its_own(client, host, inn):
    assert host.post("/host/properties", ROOM).status_code == 303
    assert place("blue-room").parent is None


def test_the_select_offers_places_part_of_no_other_and_never_the_place_itself(
    client, host, inn, make_property
):
    make_property(slug="cabin", name="Cabin")
    make_property(slug="red-room", name="Red Room", parent_id=inn.id)

    offered = options(client.get("/host/properties/cabin").get_data(as_text=True))

    assert offered == ["", "old-inn"]
    # A place with units of its own is part of none: it is not offered the choice.
    assert 'name="parent"' not in client.get("/host/properties/old-inn").get_data(as_text=True)


@pytest.mark.parametrize(
    ("slug", "parent", "message"),
    [
        (None, "nowhere", "There is no place nowhere"),
        (None, "red-room", "The Red Room is itself part of The Old Inn"),
        ("cabin", "cabin", "cannot be part of itself"),
        ("old-inn", "cabin", "has rooms or units of its own"),
    ],
    ids=["unknown", "a-unit", "itself", "has-units"],
)
def test_a_wrong_part_of_is_refused_with_a_message_beside_the_field_and_nothing_stored(
    client, host, inn, make_property, slug, parent, message
):
    make_property(slug="cabin", name="Cabin")
    make_property(slug="red-room", name="The Red Room", parent_id=inn.id)
    before = database_snapshot()

    url = f"/host/properties/{slug}" if slug else "/host/properties"
    response = host.post(url, {**ROOM, "parent": parent} if not slug else {"parent": parent})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(r'id="parent-errors">(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    after = database_snapshot()
    after.pop("host_session"), before.pop("host_session")  # the host's own last visit
    assert after == before


def test_an_edit_without_the_field_keeps_the_unit_in_its_place(client, host, inn, make_property):
    make_property(slug="red-room", parent_id=inn.id)

    assert host.post("/host/properties/red-room", {"nightly_rate": "70"}).status_code == 303

    assert place("red-room").parent.slug == "old-inn"


def test_a_unit_moved_out_stands_on_its_own_and_the_change_is_logged(
    client, host, inn, make_property
):
    make_property(slug="red-room", parent_id=inn.id)

    assert host.post("/host/properties/red-room", {"parent": ""}).status_code == 303

    assert place("red-room").parent is None
    assert "The Old Inn" in client.get("/host/activity/").get_data(as_text=True)


def test_a_place_with_units_cannot_be_deleted_until_they_are_gone(client, host, inn, make_property):
    make_property(slug="red-room", name="Red Room", parent_id=inn.id)

    refused = host.post("/host/properties/old-inn/delete")

    assert refused.status_code == 409
    assert "This place has rooms or units (Red Room)" in refused.get_data(as_text=True)
    assert place("old-inn").deleted_at is None
    assert host.post("/host/properties/red-room/delete").status_code == 303
    assert host.post("/host/properties/old-inn/delete").status_code == 303
    assert place("old-inn").deleted_at is not None
    assert count_rows("property") == 2  # deleted places stay as records
