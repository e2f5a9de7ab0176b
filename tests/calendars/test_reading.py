"""Reading other sites' feeds: recurring events, UIDs shared by several events, events that
cannot be read, and the limits of one sync."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from innkeeper.calendars import ics as calendar_ics
from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.services import reach, sync_feeds
from innkeeper.extensions import db
from tests.helpers import all_day, blocks, ical_date, ics, quote_status, taken, vevent

# A month before the recurring events of these tests begin.
TODAY = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)


def feed_of(prop) -> CalendarFeed:
    return db.session.scalar(select(CalendarFeed).filter_by(property_id=prop.id))


def weekly(uid: str, first: date, *lines: str) -> str:
    """An all-day event on `first`, repeated weekly as `lines` say."""
    return vevent(
        uid,
        f"DTSTART;VALUE=DATE:{ical_date(first)}",
        f"DTEND;VALUE=DATE:{ical_date(first + timedelta(days=1))}",
        "SUMMARY:Cleaning",
        *lines,
    )


def moved(uid: str, original: date, first: date, check_out: date) -> str:
    """One occurrence of a recurring event moved to [first, check_out)."""
    return vevent(
        uid,
        f"RECURRENCE-ID;VALUE=DATE:{ical_date(original)}",
        f"DTSTART;VALUE=DATE:{ical_date(first)}",
        f"DTEND;VALUE=DATE:{ical_date(check_out)}",
        "SUMMARY:Cleaning (moved)",
    )


# --- recurring events -------------------------------------------------------------------


@pytest.mark.time_machine(TODAY)
def test_a_weekly_event_blocks_every_occurrence(client, make_property, subscribe):
    prop = make_property()
    subscribe(prop, ics(weekly("weekly", date(2027, 3, 1), "RRULE:FREQ=WEEKLY;COUNT=4")))

    sync_feeds()

    occurrences = [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15), date(2027, 3, 22)]
    assert sorted(taken(prop)) == occurrences
    for night in occurrences:
        assert quote_status(client, prop, night, night + timedelta(days=1)) == 409
    assert quote_status(client, prop, date(2027, 3, 2), date(2027, 3, 8)) == 200
    assert feed_of(prop).event_count == 4


@pytest.mark.time_machine(TODAY)
def test_a_moved_occurrence_and_an_exception_are_honoured(make_property, subscribe, feed_server):
    prop = make_property()
    series = weekly(
        "series@google.com",
        date(2027, 3, 1),
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "EXDATE;VALUE=DATE:20270315",
    )
    body = ics(
        series, moved("series@google.com", date(2027, 3, 8), date(2027, 3, 10), date(2027, 3, 12))
    )
    subscribe(prop, body)

    sync_feeds()

    assert sorted(taken(prop)) == [
        date(2027, 3, 1),
        date(2027, 3, 10),
        date(2027, 3, 11),
        date(2027, 3, 22),
    ]
    [moved_block] = [b for b in blocks(prop) if b[3] == date(2027, 3, 10)]

    # Moved again: the same occurrence, the same block.
    body = ics(
        series, moved("series@google.com", date(2027, 3, 8), date(2027, 3, 11), date(2027, 3, 13))
    )
    feed_server.serve(f"/{prop.slug}.ics", body)
    sync_feeds()

    [again] = [b for b in blocks(prop) if b[3] == date(2027, 3, 11)]
    assert again[0] == moved_block[0]
    assert date(2027, 3, 10) not in taken(prop)
    assert {date(2027, 3, 11), date(2027, 3, 12)} <= set(taken(prop))


@pytest.mark.time_machine(TODAY)
def test_an_endless_recurrence_is_expanded_up_to_the_reach(make_property, subscribe):
    prop = make_property()
    subscribe(prop, ics(weekly("every-monday", date(2025, 1, 6), "RRULE:FREQ=WEEKLY")))

    sync_feeds()

    today = TODAY.date()
    mondays = [
        today + timedelta(days=days)
        for days in range((reach(today) - today).days)
        if (today + timedelta(days=days)).weekday() == 0
    ]
    assert sorted(taken(prop)) == mondays
    # None before today, and none past the nights a feed holds.
    assert len(blocks(prop)) == len(mondays)


@pytest.mark.time_machine(TODAY)
def test_timed_recurring_events_take_their_nights_as_single_ones_do(make_property, subscribe):
    prop = make_property(timezone="America/Cancun")  # UTC-5 all year
    body = ics(
        # An afternoon in Lisbon, three days running: each takes its night.
        vevent(
            "afternoons",
            "DTSTART;TZID=Europe/Lisbon:20270301T140000",
            "DTEND;TZID=Europe/Lisbon:20270301T160000",
            "RRULE:FREQ=DAILY;COUNT=3",
        ),
        # 22:00 to 11:00 the next morning in Cancun, written in UTC, two weeks running.
        vevent(
            "overnight",
            "DTSTART:20270311T030000Z",
            "DTEND:20270311T160000Z",
            "RRULE:FREQ=WEEKLY;COUNT=2",
        ),
    )
    subscribe(prop, body)

    sync_feeds()

    assert sorted(taken(prop)) == [
        date(2027, 3, 1),
        date(2027, 3, 2),
        date(2027, 3, 3),
        date(2027, 3, 10),
        date(2027, 3, 17),
    ]


# --- UIDs --------------------------------------------------------------------------------


@pytest.mark.time_machine(TODAY)
def test_events_sharing_a_uid_are_all_imported_and_reported(runner, make_property, subscribe):
    prop = make_property()
    body = ics(
        all_day("17", date(2027, 3, 1), date(2027, 3, 3)),
        all_day("17", date(2027, 3, 10), date(2027, 3, 12)),
        all_day("17", date(2027, 3, 20), date(2027, 3, 21)),
        all_day("18", date(2027, 4, 1), date(2027, 4, 2)),
    )
    subscribe(prop, body)

    report = sync_feeds()

    assert report.synced == 1
    assert sorted(taken(prop)) == [
        date(2027, 3, 1),
        date(2027, 3, 2),
        date(2027, 3, 10),
        date(2027, 3, 11),
        date(2027, 3, 20),
        date(2027, 4, 1),
    ]
    feed = feed_of(prop)
    assert feed.event_count == 4
    [notice] = feed.notice_messages
    assert "share one UID were each imported (1 UIDs in all: 17)" in notice
    result = runner.invoke(args=["calendar", "list"])
    assert "events: 4" in result.output
    assert notice in result.output


@pytest.mark.time_machine(TODAY)
def test_the_same_event_written_twice_is_one_event(make_property, subscribe):
    prop = make_property()
    event = all_day("twice", date(2027, 3, 1), date(2027, 3, 3))
    subscribe(prop, ics(event, event))

    sync_feeds()

    assert len(blocks(prop)) == 1
    assert feed_of(prop).notices == []


# --- events that cannot be read ----------------------------------------------------------


@pytest.mark.time_machine(TODAY)
def test_an_event_with_an_impossible_date_is_left_out_and_reported(
    runner, make_property, subscribe
):
    prop = make_property()
    body = ics(
        all_day("good", date(2027, 3, 1), date(2027, 3, 3)),
        vevent("february-30", "DTSTART;VALUE=DATE:20270230", "SUMMARY:Reserved"),
        vevent("garbage", "DTSTART:garbage"),
        all_day("also-good", date(2027, 3, 10), date(2027, 3, 11)),
    )
    subscribe(prop, body)

    report = sync_feeds()

    assert (report.synced, report.failed) == (1, 0)
    assert sorted(taken(prop)) == [date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 10)]
    feed = feed_of(prop)
    assert feed.error is None
    [notice] = feed.notice_messages
    assert "could not be read were left out (2 in all)" in notice
    assert "february-30: DTSTART: Wrong date format 20270230" in notice
    assert "garbage" in notice
    assert notice in runner.invoke(args=["calendar", "list"]).output


@pytest.mark.time_machine(TODAY)
def test_a_feed_read_well_again_clears_its_notices(make_property, subscribe, feed_server):
    prop = make_property()
    good = all_day("good", date(2027, 3, 1), date(2027, 3, 3))
    subscribe(prop, ics(good, vevent("bad", "DTSTART;VALUE=DATE:20270230")))
    sync_feeds()
    assert feed_of(prop).notices

    feed_server.serve(f"/{prop.slug}.ics", ics(good))
    sync_feeds()

    assert feed_of(prop).notices == []


# --- the limits of one sync -----------------------------------------------------------------


def test_a_feed_too_slow_to_read_fails_at_the_deadline_and_keeps_its_blocks(
    app, make_property, subscribe, feed_server, future, monkeypatch
):
    app.config["FEED_TIMEOUT_SECONDS"] = 1
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()
    state = (blocks(prop), taken(prop))

    # Each event takes 10 ms to read: 500 of them would take 5 seconds.
    parse = calendar_ics.Event.from_ical

    def slow(lines):
        time.sleep(0.01)
        return parse(lines)

    monkeypatch.setattr(calendar_ics.Event, "from_ical", slow)
    events = [all_day(f"e{i}", future(40 + i % 300), future(41 + i % 300)) for i in range(500)]
    feed_server.serve(f"/{prop.slug}.ics", ics(*events))
    started = time.monotonic()
    report = sync_feeds()

    assert time.monotonic() - started < 2
    assert report.failed == 1
    assert (blocks(prop), taken(prop)) == state
    assert "not downloaded and read within 1 seconds" in feed_of(prop).error_message


def test_a_feed_with_too_many_events_to_come_fails_and_keeps_its_blocks(
    app, make_property, subscribe, feed_server, future
):
    app.config["FEED_MAX_EVENTS"] = 50
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()
    state = (blocks(prop), taken(prop))

    every_day = vevent("daily", f"DTSTART;VALUE=DATE:{ical_date(future(1))}", "RRULE:FREQ=DAILY")
    feed_server.serve(f"/{prop.slug}.ics", ics(every_day))
    report = sync_feeds()

    assert report.failed == 1
    assert (blocks(prop), taken(prop)) == state
    assert "more than 50 events still to come" in feed_of(prop).error_message
