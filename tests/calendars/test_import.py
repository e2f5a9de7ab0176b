"""Importing other sites' feeds: their events block nights, re-imported by UID."""

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from innkeeper.calendars import services
from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.services import EMPTY_FEED_GRACE, add_feed, sync_feeds
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.reservations.models import CancelledBy, ReservationStatus
from innkeeper.reservations.services import cancel
from tests.helpers import (
    all_day,
    blocks,
    calendar_availability,
    ical_date,
    ics,
    quote_status,
    taken,
    vevent,
)


def feed_of(prop) -> CalendarFeed:
    return db.session.scalar(select(CalendarFeed).filter_by(property_id=prop.id))


def nights(first, count):
    return {first + timedelta(days=i) for i in range(count)}


# Days from today to the first night a sync leaves alone: the booking horizon (365 days
# after today is the last bookable night) and two months held past it.
REACH = 366 + 60
# Where the tests that let days pass start: the clock runs on from there, as time-machine moves it.
START = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)


# --- dates --------------------------------------------------------------------------


def test_all_day_event_blocks_dtstart_to_the_night_before_dtend(
    client, make_property, subscribe, future
):
    prop = make_property()
    first, check_out = future(40), future(43)
    subscribe(prop, ics(all_day("stay-1@airbnb.com", first, check_out)))

    report = sync_feeds()

    assert (report.synced, report.failed) == (1, 0)
    assert set(taken(prop)) == nights(first, 3)
    assert calendar_availability(client, prop, first - timedelta(days=1))
    for day in sorted(nights(first, 3)):
        assert not calendar_availability(client, prop, day)
    assert calendar_availability(client, prop, check_out)
    assert quote_status(client, prop, first, first + timedelta(days=1)) == 409
    assert quote_status(client, prop, check_out - timedelta(days=1), check_out) == 409
    # The day before and the check-out day can still be booked.
    assert quote_status(client, prop, first - timedelta(days=2), first) == 200
    assert quote_status(client, prop, check_out, check_out + timedelta(days=2)) == 200


def test_event_without_dtend_takes_one_night(make_property, subscribe, future):
    prop = make_property()
    subscribe(prop, ics(vevent("one", f"DTSTART;VALUE=DATE:{ical_date(future(30))}")))
    sync_feeds()
    assert set(taken(prop)) == {future(30)}


def test_duration_gives_the_check_out_day(make_property, subscribe, future):
    prop = make_property()
    body = ics(vevent("three", f"DTSTART;VALUE=DATE:{ical_date(future(30))}", "DURATION:P3D"))
    subscribe(prop, body)
    sync_feeds()
    assert set(taken(prop)) == nights(future(30), 3)


def test_date_times_become_the_propertys_local_dates(make_property, subscribe, future):
    prop = make_property(timezone="America/Cancun")  # UTC-5 all year
    day = future(30)
    body = ics(
        # 22:00 on `day` in Cancun, to 11:00 three days later.
        vevent(
            "utc",
            f"DTSTART:{ical_date(day + timedelta(days=1))}T030000Z",
            f"DTEND:{ical_date(day + timedelta(days=3))}T160000Z",
        ),
        # A floating time is already local: 15:00 to 10:00.
        vevent(
            "floating",
            f"DTSTART:{ical_date(day + timedelta(days=10))}T150000",
            f"DTEND:{ical_date(day + timedelta(days=12))}T100000",
        ),
        # An afternoon event, in another zone, still takes its night.
        vevent(
            "lisbon",
            f"DTSTART;TZID=Europe/Lisbon:{ical_date(day + timedelta(days=20))}T140000",
            f"DTEND;TZID=Europe/Lisbon:{ical_date(day + timedelta(days=20))}T160000",
        ),
    )
    subscribe(prop, body)
    sync_feeds()
    assert set(taken(prop)) == (
        nights(day, 3) | nights(day + timedelta(days=10), 2) | {day + timedelta(days=20)}
    )


def test_cancelled_and_past_events_block_nothing(make_property, subscribe, future):
    prop = make_property()
    body = ics(
        all_day("cancelled", future(30), future(32), "STATUS:CANCELLED"),
        all_day("past", future(-10), future(-7)),
        all_day("ends-today", future(-3), future(0)),
        all_day("kept", future(50), future(51)),
    )
    subscribe(prop, body)
    sync_feeds()
    assert set(taken(prop)) == {future(50)}
    assert [b[2] for b in blocks(prop)] == ["kept"]


def test_an_event_under_way_blocks_its_remaining_nights(make_property, subscribe, future):
    prop = make_property()
    subscribe(prop, ics(all_day("under-way", future(-2), future(3))))
    sync_feeds()
    assert set(taken(prop)) == nights(future(0), 3)


def test_nights_are_held_for_a_margin_past_the_booking_horizon(make_property, subscribe, future):
    prop = make_property()
    # Airbnb closes its far future with one long "Not available" event.
    body = ics(all_day("horizon", future(360), future(1000), "SUMMARY:Airbnb (Not available)"))
    subscribe(prop, body)
    sync_feeds()
    assert set(taken(prop)) == nights(future(360), REACH - 360)


def test_overlapping_events_of_one_feed_are_not_a_conflict(make_property, subscribe, future):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(34)), all_day("b", future(32), future(36))))
    report = sync_feeds()
    assert set(taken(prop)) == nights(future(30), 6)
    assert report.conflicts == 0
    assert feed_of(prop).conflicts == []


# --- re-import by UID ------------------------------------------------------------------


def test_moved_event_keeps_its_block_and_moves_its_nights(
    make_property, subscribe, feed_server, future
):
    prop = make_property()
    subscribe(prop, ics(all_day("guest-1", future(30), future(33))))
    sync_feeds()
    [before] = blocks(prop)

    feed_server.serve(f"/{prop.slug}.ics", ics(all_day("guest-1", future(31), future(35))))
    sync_feeds()

    [after] = blocks(prop)
    assert after[0] == before[0]
    assert (after[3], after[4]) == (future(31), future(35))
    assert set(taken(prop)) == nights(future(31), 4)


def test_event_gone_from_the_feed_frees_its_nights(
    client, make_property, subscribe, feed_server, future
):
    prop = make_property()
    body = ics(all_day("stays", future(30), future(32)), all_day("goes", future(40), future(42)))
    subscribe(prop, body)
    sync_feeds()
    assert set(taken(prop)) == nights(future(30), 2) | nights(future(40), 2)

    feed_server.serve(f"/{prop.slug}.ics", ics(all_day("stays", future(30), future(32))))
    sync_feeds()

    assert set(taken(prop)) == nights(future(30), 2)
    assert [b[2] for b in blocks(prop)] == ["stays"]
    assert calendar_availability(client, prop, future(40))
    assert quote_status(client, prop, future(40), future(42)) == 200


def test_second_sync_of_an_unchanged_feed_changes_nothing(make_property, subscribe, future):
    prop = make_property()
    body = ics(all_day("a", future(30), future(33)), all_day("b", future(50), future(52)))
    subscribe(prop, body)
    sync_feeds()
    state = (blocks(prop), taken(prop))

    report = sync_feeds()

    assert (report.synced, report.failed, report.conflicts) == (1, 0, 0)
    assert (blocks(prop), taken(prop)) == state
    feed = feed_of(prop)
    assert (feed.event_count, feed.error_message) == (2, "")


# --- safety ---------------------------------------------------------------------------


FAILURES = {
    "server error": {"status": 500, "body": b"oops"},
    "not found": {"status": 404, "body": b"gone"},
    "login page": {"status": 200, "body": b"<!doctype html><title>Sign in</title>"},
    "broken event": {"status": 200, "body": ics(vevent("x", "DTSTART:garbage"))},
    "too large": {"status": 200, "body": b"X" * 3_000_000},
    "too slow": {"status": 200, "body": b"", "delay": 2},
    "event on the last day there is": {
        "status": 200,
        "body": ics(vevent("end", "DTSTART;VALUE=DATE:99991231")),
    },
    "endless event": {
        "status": 200,
        "body": ics(vevent("endless", "DTSTART;VALUE=DATE:20300101", "DURATION:P999999999D")),
    },
}


@pytest.mark.parametrize("failure", FAILURES)
def test_feed_that_fails_changes_nothing_and_records_the_error(
    app, make_property, subscribe, feed_server, future, failure
):
    app.config["FEED_TIMEOUT_SECONDS"] = 1
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()
    state = (blocks(prop), taken(prop))
    synced_at = feed_of(prop).last_synced_at

    route = FAILURES[failure]
    feed_server.serve(
        f"/{prop.slug}.ics", route["body"], route["status"], delay=route.get("delay", 0)
    )
    report = sync_feeds()

    assert (report.synced, report.failed) == (0, 1)
    assert (blocks(prop), taken(prop)) == state
    feed = feed_of(prop)
    assert feed.error_message
    assert feed.last_synced_at == synced_at
    assert feed.checked_at > synced_at


def test_unreachable_feed_changes_nothing(make_property, subscribe, future):
    prop = make_property()
    feed = subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()
    with write_transaction():
        # A port nothing listens on: the other site is down.
        db.session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.id == feed.id)
            .values(url="http://127.0.0.1:9/x")
        )
    sync_feeds()
    assert set(taken(prop)) == nights(future(30), 3)
    assert "Could not fetch the feed" in feed_of(prop).error_message


@pytest.mark.parametrize("trickle", ["headers", "body"])
def test_server_sending_a_byte_at_a_time_is_cut_off_at_the_timeout(
    app, make_property, subscribe, feed_server, future, trickle
):
    app.config["FEED_TIMEOUT_SECONDS"] = 1
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()

    feed_server.serve(f"/{prop.slug}.ics", ics(), trickle=trickle)
    started = time.monotonic()
    report = sync_feeds()

    assert time.monotonic() - started < 2
    assert report.failed == 1
    assert "did not download within 1 seconds" in feed_of(prop).error_message
    assert set(taken(prop)) == nights(future(30), 3)


FAILING_ANSWERS = {
    "server error": (b"oops", 500),
    "not a calendar": (b"<!doctype html><title>Sign in</title>", 200),
    "suddenly empty": (ics(), 200),
}


@pytest.mark.parametrize("answer", FAILING_ANSWERS)
@pytest.mark.time_machine(START)
def test_failing_feed_goes_on_holding_nights_as_days_pass(
    make_property, subscribe, feed_server, future, time_machine, answer
):
    prop = make_property()
    first = future(300)
    subscribe(prop, ics(all_day("far", first, future(1000))))
    sync_feeds()
    assert max(taken(prop)) == future(REACH - 1)

    feed_server.serve(f"/{prop.slug}.ics", *FAILING_ANSWERS[answer])
    time_machine.shift(timedelta(days=10))
    report = sync_feeds()

    assert report.failed == 1
    # Ten days on, the stored block holds ten more nights: up to the new reach.
    assert set(taken(prop)) == nights(first, REACH + 10 - 300)
    assert max(taken(prop)) == future(REACH - 1)
    assert feed_of(prop).error_message


def test_unexpected_failure_is_recorded_and_waits_for_the_next_turn(
    make_property, subscribe, future, monkeypatch, caplog
):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))

    def fail(body, timezone, **limits):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "read_events", fail)
    report = sync_feeds(due_only=True)

    assert report.failed == 1
    assert "a bug" in caplog.text
    feed = feed_of(prop)
    assert feed.checked_at is not None
    assert "Internal error (RuntimeError)" in feed.error_message
    # Not due again before FEED_SYNC_INTERVAL_SECONDS, like any feed that failed.
    report = sync_feeds(due_only=True)
    assert (report.synced, report.failed) == (0, 0)


@pytest.mark.time_machine(START)
def test_feed_that_suddenly_comes_back_empty_changes_nothing_for_a_while(
    make_property, subscribe, feed_server, future, time_machine
):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33)), all_day("b", future(40), future(41))))
    sync_feeds()
    state = (blocks(prop), taken(prop))

    feed_server.serve(f"/{prop.slug}.ics", ics())
    report = sync_feeds()

    assert report.failed == 1
    assert (blocks(prop), taken(prop)) == state
    assert "no event" in feed_of(prop).error_message

    # Still empty a little before the grace runs out: still a glitch, for all we know.
    time_machine.shift(EMPTY_FEED_GRACE - timedelta(minutes=1))
    assert sync_feeds().failed == 1
    assert (blocks(prop), taken(prop)) == state

    # Still empty after it: the other site really has nothing any more.
    time_machine.shift(timedelta(minutes=2))
    report = sync_feeds()

    assert report.synced == 1
    assert (blocks(prop), taken(prop)) == ([], {})
    assert feed_of(prop).error_message == ""


@pytest.mark.parametrize("left", ["cancelled", "past"])
def test_feed_left_with_only_cancelled_or_past_events_changes_nothing_for_a_while(
    make_property, subscribe, feed_server, future, left
):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33)), all_day("b", future(40), future(41))))
    sync_feeds()
    state = (blocks(prop), taken(prop))

    if left == "cancelled":
        body = ics(
            all_day("a", future(30), future(33), "STATUS:CANCELLED"),
            all_day("b", future(40), future(41), "STATUS:CANCELLED"),
        )
    else:
        body = ics(all_day("long-ago", future(-30), future(-27)))
    feed_server.serve(f"/{prop.slug}.ics", body)
    report = sync_feeds()

    assert report.failed == 1
    assert (blocks(prop), taken(prop)) == state
    assert "no event still to come" in feed_of(prop).error_message


@pytest.mark.time_machine(START)
def test_feed_whose_events_are_all_over_is_not_taken_for_a_glitch(
    make_property, subscribe, future, time_machine
):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()

    time_machine.shift(timedelta(days=40))
    report = sync_feeds()

    assert report.synced == 1
    assert blocks(prop) == []
    assert feed_of(prop).error_message == ""


def test_feed_that_answers_again_ends_the_empty_spell(
    make_property, subscribe, feed_server, future
):
    prop = make_property()
    body = ics(all_day("a", future(30), future(33)))
    subscribe(prop, body)
    sync_feeds()
    feed_server.serve(f"/{prop.slug}.ics", ics())
    sync_feeds()
    feed_server.serve(f"/{prop.slug}.ics", body)
    sync_feeds()
    feed = feed_of(prop)
    assert (feed.empty_since, feed.error_message) == (None, "")


def test_one_failing_feed_does_not_stop_the_others(make_property, subscribe, feed_server, future):
    broken, working = make_property(), make_property()
    feed_server.serve("/broken.ics", b"oops", status=500)
    add_feed(broken.slug, feed_server.url("/broken.ics"))
    subscribe(working, ics(all_day("a", future(30), future(31))))

    report = sync_feeds()

    assert (report.synced, report.failed) == (1, 1)
    assert set(taken(working)) == {future(30)}
    assert "500" in feed_of(broken).error_message


def test_request_names_itself_with_a_user_agent(make_property, subscribe, feed_server, future):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(31))))
    sync_feeds()
    [(path, headers)] = feed_server.requests
    assert path == f"/{prop.slug}.ics"
    assert "Innkeeper" in headers["User-Agent"]


@pytest.mark.time_machine(START)
def test_the_sync_asks_with_the_etag_and_takes_304_as_unchanged(
    make_property, feed_server, future, time_machine
):
    prop = make_property()
    body = ics(all_day("a", future(30), future(33)), all_day("far", future(300), future(1000)))
    add_feed(prop.slug, feed_server.serve("/a.ics", body, etag='"v1"'))
    sync_feeds()
    state = (blocks(prop), taken(prop))
    first_sync = feed_of(prop).last_synced_at

    time_machine.shift(timedelta(minutes=15))
    report = sync_feeds()

    assert (report.synced, report.failed) == (1, 0)
    (_, first), (_, second) = feed_server.requests
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == '"v1"'
    assert (blocks(prop), taken(prop)) == state
    feed = feed_of(prop)
    assert (feed.error, feed.event_count) == (None, 2)
    assert feed.last_synced_at > first_sync

    # A day on, the feed is read whole, and the stored blocks reach one day further.
    time_machine.shift(timedelta(days=1))
    sync_feeds()
    assert "If-None-Match" not in feed_server.requests[-1][1]
    assert max(taken(prop)) == future(REACH - 1)


def test_redirects_are_followed(make_property, feed_server, future):
    prop = make_property()
    target = feed_server.serve("/new.ics", ics(all_day("a", future(30), future(31))))
    feed_server.serve("/old.ics", b"", status=301, headers={"Location": target})
    add_feed(prop.slug, feed_server.url("/old.ics"))
    sync_feeds()
    assert set(taken(prop)) == {future(30)}


# --- conflicts ----------------------------------------------------------------------------


def test_event_on_reserved_nights_takes_only_the_free_ones_and_records_the_conflict(
    make_property, subscribe, make_reservation, future, caplog
):
    prop = make_property()
    reservation = make_reservation(prop, future(20), future(23))
    subscribe(prop, ics(all_day("double", future(21), future(25), "SUMMARY:Reserved")))

    with caplog.at_level(logging.WARNING, logger="innkeeper.calendars"):
        report = sync_feeds()

    assert report.conflicts == 1
    assert taken(prop) == {
        future(20): "reservation",
        future(21): "reservation",
        future(22): "reservation",
        future(23): "block",
        future(24): "block",
    }
    db.session.refresh(reservation)
    assert (reservation.status, reservation.check_in, reservation.check_out) == (
        ReservationStatus.CONFIRMED,
        future(20),
        future(23),
    )
    conflicts = "\n".join(feed_of(prop).conflict_messages)
    assert reservation.code in conflicts
    assert f"{future(21)}, {future(22)} already taken" in conflicts
    assert reservation.code in caplog.text

    # Reported once in the log, kept on the feed while it lasts.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="innkeeper.calendars"):
        assert sync_feeds().conflicts == 1
    assert caplog.text == ""
    assert "\n".join(feed_of(prop).conflict_messages) == conflicts


def test_nights_freed_by_a_cancellation_go_to_the_waiting_event(
    make_property, subscribe, make_reservation, future
):
    prop = make_property()
    reservation = make_reservation(prop, future(20), future(22))
    subscribe(prop, ics(all_day("double", future(20), future(22))))
    sync_feeds()
    assert set(taken(prop).values()) == {"reservation"}

    cancel(reservation, CancelledBy.GUEST)
    sync_feeds()

    assert taken(prop) == {future(20): "block", future(21): "block"}
    assert feed_of(prop).conflicts == []


# --- the worker and the command line ------------------------------------------------------


def test_jobs_run_syncs_the_feeds(runner, make_property, subscribe, future):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(32))))
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "calendars synced: 1, failed: 0" in result.output
    assert "events added: 1, moved: 0, removed: 0" in result.output
    assert set(taken(prop)) == nights(future(30), 2)


@pytest.mark.time_machine(START, tick=False)
def test_worker_syncs_each_feed_once_per_interval(
    app, make_property, subscribe, future, time_machine
):
    interval = timedelta(seconds=app.config["FEED_SYNC_INTERVAL_SECONDS"])
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(32))))
    assert sync_feeds(due_only=True).synced == 1
    time_machine.shift(interval - timedelta(seconds=1))
    assert sync_feeds(due_only=True).synced == 0
    time_machine.shift(timedelta(seconds=1))
    assert sync_feeds(due_only=True).synced == 1
    # Asked for all, the worker syncs a feed however recently it was checked.
    assert sync_feeds().synced == 1


def test_calendar_add_prints_what_it_did(runner, make_property, feed_server):
    prop = make_property()
    url = feed_server.serve("/a.ics", ics())
    result = runner.invoke(args=["calendar", "add", prop.slug, url])
    assert result.exit_code == 0, result.output
    assert f"to {prop.slug}" in result.output
    feed = feed_of(prop)
    assert (feed.url, feed.last_synced_at) == (url, None)


@pytest.mark.parametrize(
    ("host", "label"),
    [
        ("www.airbnb.com", "Airbnb"),
        ("www.airbnb.co.uk", "Airbnb"),
        ("admin.booking.com", "Booking.com"),
        ("www.vrbo.com", "Vrbo"),
        ("www.homeaway.com", "Vrbo"),
        ("calendar.google.com", "Google Calendar"),
        ("www.example.com", "example.com"),
        ("booking.example.org", "booking.example.org"),
    ],
)
def test_a_feed_is_named_after_its_site_by_default(host, label):
    assert services.default_label(host) == label


def test_a_conflict_with_another_feed_names_that_site(
    make_property, subscribe, feed_server, future
):
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(20), future(22))), path="/first.ics")
    sync_feeds()
    with write_transaction():
        db.session.execute(update(CalendarFeed).values(label="Booking.com"))
    feed_server.serve("/second.ics", ics(all_day("b", future(21), future(23))))
    add_feed(prop.slug, feed_server.url("/second.ics"), label="Airbnb")
    sync_feeds()
    [second] = [feed for feed in services.list_feeds() if feed.label == "Airbnb"]
    assert second.conflict_messages == [
        f"Airbnb: Reserved ({future(21)} to {future(23)}): {future(21)} already taken by an"
        " event from Booking.com"
    ]


def test_calendar_add_refuses_an_unknown_property(runner, feed_server):
    result = runner.invoke(args=["calendar", "add", "nowhere", feed_server.url("/a.ics")])
    assert result.exit_code != 0
    assert "no property 'nowhere'" in result.output


def test_calendar_add_refuses_the_same_feed_twice(runner, make_property, feed_server):
    prop = make_property()
    url = feed_server.serve("/a.ics", ics())
    assert runner.invoke(args=["calendar", "add", prop.slug, url]).exit_code == 0
    result = runner.invoke(args=["calendar", "add", prop.slug, url])
    assert result.exit_code != 0
    assert "already has this feed" in result.output


def test_calendar_list_shows_errors_and_conflicts(
    runner, make_property, subscribe, make_reservation, future
):
    prop = make_property()
    make_reservation(prop, future(20), future(22))
    subscribe(prop, ics(all_day("double", future(21), future(23))))
    sync_feeds()
    result = runner.invoke(args=["calendar", "list"])
    assert result.exit_code == 0, result.output
    assert prop.slug in result.output
    assert f"conflict: 127.0.0.1: Reserved ({future(21)} to {future(23)})" in result.output


def test_calendar_remove_frees_the_nights(runner, make_property, subscribe, future):
    prop = make_property()
    feed = subscribe(prop, ics(all_day("a", future(30), future(32))))
    sync_feeds()
    result = runner.invoke(args=["calendar", "remove", str(feed.id)])
    assert result.exit_code == 0, result.output
    assert "events removed: 1" in result.output
    assert (blocks(prop), taken(prop)) == ([], {})
    assert runner.invoke(args=["calendar", "remove", str(feed.id)]).exit_code != 0


def test_host_dashboard_shows_conflicts_and_errors(
    client, auth, make_property, subscribe, feed_server, make_reservation, future
):
    prop, other = make_property(), make_property()
    reservation = make_reservation(prop, future(20), future(22))
    subscribe(prop, ics(all_day("double", future(21), future(23))))
    add_feed(other.slug, feed_server.serve("/broken.ics", b"oops", status=500))
    sync_feeds()
    auth.login()

    html = client.get("/host/").get_data(as_text=True)

    assert "1 event wants nights already taken here" in html
    assert f"<li>127.0.0.1: Reserved ({future(21)} to {future(23)})" in html
    assert reservation.code in html
    assert "The server answered 500" in html
