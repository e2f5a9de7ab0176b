"""Whether a place's bookings are confirmed at once or are requests the host answers."""

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.properties.models import BookingMode
from tests.helpers import count_rows, database_snapshot
from tests.properties.test_admin import PLACE, place


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def test_a_place_takes_bookings_at_once_unless_told_otherwise(host):
    assert host.post("/host/properties", PLACE).status_code == 303
    assert place("casa-nandu").booking_mode is BookingMode.INSTANT


def test_a_place_created_to_take_requests_takes_them(client, host):
    assert host.post("/host/properties", {**PLACE, "booking_mode": "request"}).status_code == 303
    assert place("casa-nandu").booking_mode is BookingMode.REQUEST
    page = client.get("/host/properties/casa-nandu").get_data(as_text=True)
    assert (
        '<input checked id="booking_mode-1" name="booking_mode" type="radio" value="request">'
        in page
    )
    assert "On request: you accept or decline each booking" in page
    assert "unanswered for 24 hours expires" in page


def test_an_edit_that_leaves_the_mode_out_keeps_it(host, make_property):
    make_property(slug="cabin", booking_mode=BookingMode.REQUEST)
    assert host.post("/host/properties/cabin", {"area": "Hills"}).status_code == 303
    assert place("cabin").booking_mode is BookingMode.REQUEST

    assert host.post("/host/properties/cabin", {"booking_mode": "instant"}).status_code == 303
    assert place("cabin").booking_mode is BookingMode.INSTANT
    db.session.rollback()
    [last] = (
        db.session.scalars(
            select(Activity).filter_by(action="property.updated").order_by(Activity.id.desc())
        )
        .first()
        .changes.items()
    )
    assert last == ("booking_mode", ["request", "instant"])


@pytest.mark.parametrize("value", ["", "sometimes"])
def test_an_unknown_mode_is_refused_beside_the_field(host, make_property, value):
    make_property(slug="cabin")
    before = database_snapshot()
    response = host.post("/host/properties/cabin", {"booking_mode": value, "area": "Hills"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose whether guests book at once or on request." in html
    assert 'value="Hills"' in html
    assert database_snapshot() == before
    refused = host.post("/host/properties", {**PLACE, "booking_mode": value})
    assert refused.status_code == 422
    assert count_rows("property") == 1
