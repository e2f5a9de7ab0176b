"""The night ledger: every owner of nights (stay, host block, feed event) is seen by all."""

import pytest
from icalendar import Calendar

from innkeeper.availability.models import Block
from innkeeper.availability.services import (
    Owner,
    block_nights,
    night_owners,
    unavailable_ranges,
    unblock,
)
from innkeeper.exceptions import DatesUnavailable
from innkeeper.extensions import db
from tests.helpers import count_rows


def calendar_flags(client, prop, month: str) -> dict[str, str]:
    html = client.get(f"/properties/{prop.slug}/calendar?month={month}").get_data(as_text=True)
    cells = html.split("data-date=")[1:]
    return {cell[1:11]: cell.split('data-available="')[1][:5].rstrip('"') for cell in cells}


def test_a_host_block_closes_its_nights_everywhere(client, make_property, book, future):
    prop = make_property()
    block_nights(prop, future(10), future(13), note="Painting")

    assert book(prop, future(11), future(12)).status_code == 409
    quote = client.get(
        f"/properties/{prop.slug}/quote",
        query_string={"check_in": future(12), "check_out": future(14), "guests": 2},
    )
    assert quote.status_code == 409
    month = calendar_flags(client, prop, future(10).strftime("%Y-%m"))
    assert month[future(10).isoformat()] == "false"
    feed = Calendar.from_ical(client.get(f"/properties/{prop.slug}/calendar.ics").data)
    assert [(e.start, e.end) for e in feed.walk("VEVENT")] == [(future(10), future(13))]
    # Check-out day of the block is free for the next guest.
    assert book(prop, future(13), future(14)).status_code == 303


def test_a_block_over_a_reserved_night_is_refused_and_stores_nothing(make_property, book, future):
    prop = make_property()
    assert book(prop, future(10), future(12)).status_code == 303
    with pytest.raises(DatesUnavailable) as refused:
        block_nights(prop, future(11), future(15))
    assert refused.value.status == 409
    assert future(11).isoformat() in refused.value.message
    assert count_rows("block") == 0
    assert count_rows("night") == 2


def test_unblocking_reopens_the_nights(make_property, book, future):
    prop = make_property()
    block = block_nights(prop, future(10), future(13))
    unblock(block)
    assert count_rows("block") == count_rows("night") == 0
    assert book(prop, future(10), future(13)).status_code == 303


def test_each_night_names_its_one_owner(make_property, book, future):
    prop = make_property()
    book(prop, future(10), future(12))
    block = block_nights(prop, future(12), future(13))
    owners = night_owners(prop.id, future(9), future(14))
    assert sorted(owners) == [future(10), future(11), future(12)]
    assert owners[future(12)] == Owner(block_id=block.id)
    stay = owners[future(10)]
    assert stay.reservation_id is not None and stay.reservation_code
    assert owners[future(11)] == stay


def test_unavailable_ranges_are_runs_of_one_owner_each(make_property, book, future):
    prop = make_property()
    book(prop, future(10), future(12))
    block_nights(prop, future(12), future(15))
    db.session.rollback()
    ranges = unavailable_ranges(prop.id, since=future(0))
    assert [(r.start, r.end) for r in ranges] == [
        (future(10), future(12)),
        (future(12), future(15)),
    ]
    assert ranges[0].owner.reservation_id and ranges[1].owner.block_id


def test_a_stay_begun_before_since_is_still_whole(make_property, book, future):
    prop = make_property()
    book(prop, future(10), future(14))
    db.session.rollback()  # see what the request committed
    [whole] = unavailable_ranges(prop.id, since=future(12))
    assert (whole.start, whole.end) == (future(10), future(14))
    assert unavailable_ranges(prop.id, since=future(14)) == []


def test_deleting_a_block_row_frees_its_nights_through_the_database(make_property, future):
    prop = make_property()
    block = block_nights(prop, future(5), future(7))
    db.session.delete(db.session.get(Block, block.id))
    db.session.commit()
    assert count_rows("night") == 0
