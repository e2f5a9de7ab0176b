"""The host follows other sites' calendars from a place's page: add, sync, re-point, remove."""

import re

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.availability.models import Night
from innkeeper.calendars.models import CalendarFeed
from innkeeper.extensions import db
from tests.helpers import all_day, ics


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def cabin(make_property):
    return make_property(slug="cabin", name="Cabin")


def feeds() -> list[CalendarFeed]:
    db.session.rollback()  # read what the requests committed
    return list(db.session.scalars(select(CalendarFeed).order_by(CalendarFeed.id)))


def nights_taken(prop) -> int:
    db.session.rollback()
    return len(db.session.scalars(select(Night).filter_by(property_id=prop.id)).all())


def test_the_place_s_page_links_to_its_calendars(client, host, cabin):
    html = client.get("/host/properties/cabin").get_data(as_text=True)
    assert 'href="/host/properties/cabin/calendars"' in html
    page = client.get("/host/properties/cabin/calendars")
    assert page.status_code == 200
    assert "calendar yet." in page.get_data(as_text=True)
    assert "/properties/cabin/calendar.ics" in page.get_data(as_text=True)


def test_a_calendar_added_in_the_browser_closes_nights_once_synced(
    client, host, cabin, feed_server, future
):
    url = feed_server.serve("/airbnb.ics", ics(all_day("a@airbnb", future(20), future(23))))

    response = host.post("/host/properties/cabin/calendars", {"url": url, "label": "Airbnb"})

    assert response.status_code == 303
    [feed] = feeds()
    assert (feed.url, feed.label) == (url, "Airbnb")
    assert response.headers["Location"].endswith(f"/host/properties/cabin/calendars#feed-{feed.id}")
    page = client.get("/host/properties/cabin/calendars").get_data(as_text=True)
    # The link to give that site is this subscription's own.
    assert f"?for={feed.export_token}" in page
    assert nights_taken(cabin) == 0

    assert host.post(f"/host/properties/cabin/calendars/{feed.id}/sync").status_code == 303

    assert nights_taken(cabin) == 3
    page = client.get("/host/properties/cabin/calendars").get_data(as_text=True)
    assert "The calendar is read: 1 change." in page
    assert re.search(r"Events closing nights</dt><dd>1</dd>", page)
    db.session.rollback()
    assert db.session.scalar(select(Activity.action)) == "calendar.added"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Paste the calendar link the other site gives."),
        ("ftp://example.com/cal.ics", "ftp"),
        ("http://10.0.0.7/cal.ics", "private"),
    ],
)
def test_a_link_that_cannot_be_followed_is_refused_beside_the_field(
    app, client, host, cabin, url, message
):
    app.config["FEED_ALLOW_PRIVATE"] = False

    response = host.post("/host/properties/cabin/calendars", {"url": url})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="url-errors"' in html
    assert message in html
    assert f'value="{url}"' in html or not url
    assert feeds() == []


def test_the_same_link_twice_is_refused(client, host, cabin, feed_server):
    url = feed_server.serve("/a.ics", ics())
    host.post("/host/properties/cabin/calendars", {"url": url})

    response = host.post("/host/properties/cabin/calendars", {"url": url})

    assert response.status_code == 422
    assert "already has this feed" in response.get_data(as_text=True)
    assert len(feeds()) == 1


def test_a_sync_that_fails_says_why_on_the_page_and_keeps_the_nights(
    client, host, cabin, feed_server, subscribe, future
):
    feed = subscribe(cabin, ics(all_day("a", future(20), future(23))), path="/a.ics")
    host.post(f"/host/properties/cabin/calendars/{feed.id}/sync")
    feed_server.serve("/a.ics", b"", status=500)

    host.post(f"/host/properties/cabin/calendars/{feed.id}/sync")

    page = client.get("/host/properties/cabin/calendars").get_data(as_text=True)
    assert "The calendar could not be read" in page
    assert "The server answered 500" in page
    assert nights_taken(cabin) == 3


def test_a_new_link_keeps_the_subscription_s_own_link(client, host, cabin, feed_server, subscribe):
    feed = subscribe(cabin, ics(), path="/old.ics")
    new_url = feed_server.serve("/new.ics", ics())

    response = host.post(f"/host/properties/cabin/calendars/{feed.id}", {"url": new_url})

    assert response.status_code == 303
    [moved] = feeds()
    assert (moved.url, moved.export_token) == (new_url, feed.export_token)

    bad = host.post(f"/host/properties/cabin/calendars/{feed.id}", {"url": "nonsense"})
    assert bad.status_code == 422
    assert f'id="feed-{feed.id}-url-errors"' in bad.get_data(as_text=True)
    assert feeds()[0].url == new_url


def test_removing_a_calendar_asks_first_then_opens_its_nights(
    client, host, cabin, subscribe, future
):
    feed = subscribe(cabin, ics(all_day("a", future(20), future(23))))
    host.post(f"/host/properties/cabin/calendars/{feed.id}/sync")
    url = f"/host/properties/cabin/calendars/{feed.id}/remove"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Its 1 event stops closing nights here" in confirm.get_data(as_text=True)
    assert nights_taken(cabin) == 3

    assert host.post(url).status_code == 303
    assert host.post(url).status_code == 303  # a second click: already done

    assert feeds() == []
    assert nights_taken(cabin) == 0
    db.session.rollback()
    removed = db.session.scalar(select(Activity).order_by(Activity.id.desc()))
    assert (removed.action, removed.actor) == ("calendar.removed", host.email)


def test_another_place_s_calendar_is_not_found_under_this_place(
    client, host, cabin, make_property, subscribe
):
    feed = subscribe(make_property(slug="loft"), ics())

    assert client.get(f"/host/properties/cabin/calendars/{feed.id}/remove").status_code == 404
    assert host.post(f"/host/properties/cabin/calendars/{feed.id}/sync").status_code == 404
    assert len(feeds()) == 1
