"""The feed other sites import: GET /properties/<slug>/calendar.ics."""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import insert

from innkeeper.availability.models import Block, Night
from innkeeper.availability.services import nights_of
from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.services import sync_feeds
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import (
    all_day,
    blocks,
    calendar_availability,
    ical_date,
    ics,
    outbox,
    taken,
)


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


# --- stable text, ETag ---------------------------------------------------------------------


@pytest.mark.time_machine(datetime(2031, 3, 3, 12, 0, tzinfo=UTC))
def test_an_unchanged_feed_reads_the_same_and_answers_304_to_its_etag(
    client, make_property, make_reservation, future, time_machine
):
    prop = make_property()
    make_reservation(prop, future(10), future(13))
    url = f"/properties/{prop.slug}/calendar.ics"
    first = client.get(url)
    etag = first.headers["ETag"]

    time_machine.shift(timedelta(hours=1))
    again = client.get(url)
    unchanged = client.get(url, headers={"If-None-Match": etag})

    assert again.get_data() == first.get_data()
    assert "DTSTAMP:" in first.get_data(as_text=True)
    assert (unchanged.status_code, unchanged.get_data(), unchanged.headers["ETag"]) == (
        304,
        b"",
        etag,
    )

    # A booking changes the feed, and its ETag.
    make_reservation(prop, future(20), future(22))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert len(export(client, prop)[1]) == 2


# --- what comes from other sites ----------------------------------------------------------


def test_a_subscriptions_own_link_leaves_out_that_feeds_events(
    client, make_property, make_reservation, feed_server, subscribe, future
):
    prop = make_property()
    make_reservation(prop, future(10), future(12))
    airbnb = subscribe(prop, ics(all_day("a@airbnb.com", future(20), future(22))), "/airbnb.ics")
    subscribe(prop, ics(all_day("b@booking.com", future(30), future(32))), "/booking.ics")
    sync_feeds()

    def ranges(query: str) -> list:
        response = client.get(f"/properties/{prop.slug}/calendar.ics{query}")
        assert response.status_code == 200
        events = Calendar.from_ical(response.get_data()).walk("VEVENT")
        return sorted((event.start, event.end) for event in events)

    # Everything for a site that is none of these; for Airbnb, all but what came from it.
    assert ranges("") == [
        (future(10), future(12)),
        (future(20), future(22)),
        (future(30), future(32)),
    ]
    assert ranges(f"?for={airbnb.export_token}") == [
        (future(10), future(12)),
        (future(30), future(32)),
    ]
    assert client.get(f"/properties/{prop.slug}/calendar.ics?for=guess").status_code == 404
    other = make_property()
    assert (
        client.get(f"/properties/{other.slug}/calendar.ics?for={airbnb.export_token}").status_code
        == 404
    )


def test_an_imported_event_keeps_its_uid_in_our_feed_across_syncs(
    client, make_property, feed_server, subscribe, future
):
    prop = make_property()
    event = all_day("guest-1@airbnb.com", future(20), future(22))
    subscribe(prop, ics(event))
    sync_feeds()
    [(_, _, uid)] = export(client, prop)[1]

    # Gone for a sync (the other site's glitch, a loop's turn), then back: a new block.
    feed_server.serve(f"/{prop.slug}.ics", ics(all_day("other", future(40), future(41))))
    sync_feeds()
    feed_server.serve(f"/{prop.slug}.ics", ics(event))
    sync_feeds()

    [(_, _, again)] = export(client, prop)[1]
    assert again == uid
    assert "airbnb" not in uid


def test_our_own_events_coming_back_are_not_imported(
    client, make_property, make_reservation, subscribe, future
):
    create_host("host@example.com", "a long password")
    prop = make_property()
    make_reservation(prop, future(10), future(13))
    host_block(prop, future(20), future(22))
    # Another site that imported our feed and publishes it again, UIDs and all.
    echo = client.get(f"/properties/{prop.slug}/calendar.ics").get_data()
    feed = subscribe(prop, echo)

    report = sync_feeds()

    assert (report.synced, report.conflicts) == (1, 0)
    assert blocks(prop) == [b for b in blocks(prop) if b[1] is None]
    assert db.session.get(CalendarFeed, feed.id).conflicts == []
    assert outbox(kind="host_calendar_conflict") == []
