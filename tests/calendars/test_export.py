"""The feed other sites import: GET /properties/<slug>/calendar.ics."""

from datetime import date

from icalendar import Calendar
from sqlalchemy import insert

from innkeeper.availability.models import Block, Night
from innkeeper.availability.services import nights_of
from innkeeper.calendars.services import sync_feeds
from innkeeper.database import write_transaction
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import calendar_availability, ical_date, taken


def host_block(prop, start: date, end: date) -> Block:
    """Nights the host closed, e.g. for repairs."""
    with write_transaction() as session:
        block = Block(property_id=prop.id, start_date=start, end_date=end, note="Painting")
        session.add(block)
        session.flush()
        session.execute(
            insert(Night),
            [
                {"property_id": prop.id, "night": night, "block_id": block.id}
                for night in nights_of(start, end)
            ],
        )
    return block


def export(client, prop) -> tuple[str, list]:
    """The feed's text and its events as (first night, check-out, UID), by date."""
    response = client.get(f"/properties/{prop.slug}/calendar.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    events = [
        (event.start, event.end, str(event["UID"]))
        for event in Calendar.from_ical(body).walk("VEVENT")
    ]
    return body, sorted(events)


def test_feed_has_one_all_day_event_per_stay_and_block(
    client, make_property, make_reservation, future
):
    prop = make_property()
    first = make_reservation(prop, future(10), future(13))
    second = make_reservation(prop, future(20), future(21))
    host_block(prop, future(30), future(37))

    response = client.get(f"/properties/{prop.slug}/calendar.ics")
    body, events = export(client, prop)

    assert response.mimetype == "text/calendar"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert [(start, end) for start, end, _ in events] == [
        (first.check_in, first.check_out),
        (second.check_in, second.check_out),
        (future(30), future(37)),
    ]
    for start, end, _ in events:
        assert type(start) is date
        assert f"DTSTART;VALUE=DATE:{ical_date(start)}\r\n" in body
        assert f"DTEND;VALUE=DATE:{ical_date(end)}\r\n" in body


def test_feed_uids_are_unique_and_stable_across_requests(
    client, make_property, make_reservation, future
):
    prop = make_property()
    make_reservation(prop, future(10), future(13))
    host_block(prop, future(30), future(32))

    _, events = export(client, prop)
    _, again = export(client, prop)

    uids = [uid for _, _, uid in events]
    assert len(set(uids)) == 2
    assert [uid for _, _, uid in again] == uids


def test_feed_holds_no_guest_details(client, make_property, make_reservation, future):
    prop = make_property()
    make_reservation(
        prop,
        future(10),
        future(13),
        name="Grace Hopper",
        email="grace.hopper@example.com",
        phone="+1 555 0199",
        message="We arrive late, around midnight.",
    )

    body, events = export(client, prop)

    assert len(events) == 1
    for detail in ["Grace", "Hopper", "grace.hopper", "example.com", "555 0199", "midnight"]:
        assert detail not in body


def test_cancelled_reservations_are_not_in_the_feed(
    client, make_property, make_reservation, future
):
    prop = make_property()
    kept = make_reservation(prop, future(10), future(13))
    gone = make_reservation(prop, future(20), future(23))
    cancel(gone, CancelledBy.GUEST)

    body, events = export(client, prop)

    assert [(start, end) for start, end, _ in events] == [(kept.check_in, kept.check_out)]
    assert gone.code not in body


def test_unknown_property_has_no_feed(client):
    assert client.get("/properties/nowhere/calendar.ics").status_code == 404


def test_our_feed_imported_elsewhere_blocks_the_same_nights(
    client, make_property, make_reservation, feed_server, subscribe, future
):
    here, elsewhere = make_property(), make_property()
    make_reservation(here, future(10), future(13))
    host_block(here, future(20), future(22))
    body = client.get(f"/properties/{here.slug}/calendar.ics").get_data()

    subscribe(elsewhere, body)
    assert sync_feeds().synced == 1

    assert set(taken(elsewhere)) == set(taken(here))
    assert set(taken(elsewhere).values()) == {"block"}
    assert calendar_availability(client, elsewhere, future(9))
    assert not calendar_availability(client, elsewhere, future(10))
    assert not calendar_availability(client, elsewhere, future(12))
    assert calendar_availability(client, elsewhere, future(13))
    # And back: the imported blocks are in the other property's own feed.
    _, events = export(client, elsewhere)
    assert [(start, end) for start, end, _ in events] == [
        (future(10), future(13)),
        (future(20), future(22)),
    ]


def test_the_feed_does_not_reveal_reservation_codes(
    client, make_property, make_reservation, future
):
    prop = make_property()
    code = make_reservation(prop, future(10), future(12)).code
    body = client.get(f"/properties/{prop.slug}/calendar.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in body
    assert code not in body
