"""Two places subscribed to each other's calendars, over the site's real HTTP server: the
syncs settle, a cancellation frees its nights on both sides, and no echo is a conflict."""

import pytest

from innkeeper.availability.services import block_nights
from innkeeper.calendars.services import add_feed, change_feed_url, sync_feeds
from innkeeper.host.services import create_host
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import all_day, database_snapshot, ics, outbox, taken


def link(server, prop, feed=None) -> str:
    """The place's export on the live server: its own link for `feed`, or the general one."""
    query = f"?for={feed.export_token}" if feed else ""
    return f"{server.url}/properties/{prop.slug}/calendar.ics{query}"


def settled_state() -> dict:
    """Every row but the feeds' own record of when they were last checked."""
    snapshot = database_snapshot()
    del snapshot["calendar_feed"]
    return snapshot


def nights_of_each(*props) -> list[set]:
    return [set(taken(prop)) for prop in props]


@pytest.mark.parametrize("links", ["their own links", "the general links"])
def test_two_calendars_subscribed_to_each_other_settle_and_free_nights_on_both_sides(
    start_server, make_property, make_reservation, feed_server, future, links
):
    create_host("host@example.com", "a long password")
    server = start_server(workers=1)
    seaside, cabin = make_property(), make_property()
    # Each place subscribes to the other; with their own links, each link leaves out what
    # came from the place that reads it. The first subscription is pointed at the second's
    # own link once that exists.
    to_cabin = add_feed(seaside.slug, link(server, cabin))
    to_seaside = add_feed(
        cabin.slug, link(server, seaside, to_cabin if links == "their own links" else None)
    )
    if links == "their own links":
        change_feed_url(to_cabin.id, link(server, cabin, to_seaside))
    # The seaside also imports Airbnb, whose bookings the cabin must not sell either.
    airbnb = ics(all_day("guest@airbnb.com", future(40), future(43)))
    add_feed(seaside.slug, feed_server.serve("/airbnb.ics", airbnb))

    stay = make_reservation(seaside, future(10), future(13))
    make_reservation(cabin, future(20), future(22))
    block_nights(seaside, future(30), future(32), note="Painting")

    for _ in range(3):
        report = sync_feeds()
        assert (report.failed, report.conflicts) == (0, 0)

    expected = (
        {future(d) for d in (10, 11, 12, 20, 21, 30, 31, 40, 41, 42)},
        {future(d) for d in (10, 11, 12, 20, 21, 30, 31, 40, 41, 42)},
    )
    assert tuple(nights_of_each(seaside, cabin)) == expected

    # Nothing new: however many syncs, no row changes and no mail is written.
    settled = settled_state()
    for _ in range(3):
        sync_feeds()
    assert settled_state() == settled

    # A cancellation here, and one on Airbnb: free on both sides after a sync or two.
    cancel(stay, CancelledBy.GUEST)
    feed_server.serve("/airbnb.ics", ics(all_day("other@airbnb.com", future(60), future(61))))
    for _ in range(2):
        sync_feeds()
    freed = {future(d) for d in (10, 11, 12, 40, 41, 42)}
    for nights in nights_of_each(seaside, cabin):
        assert not nights & freed
        assert {future(20), future(30), future(60)} <= nights

    assert outbox(kind="host_calendar_conflict") == []
