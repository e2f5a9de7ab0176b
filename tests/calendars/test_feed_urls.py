"""A feed URL cannot be used to reach the host's own machine or network, unless allowed."""

import pytest
from sqlalchemy import func, select

from innkeeper.calendars import fetch
from innkeeper.calendars.fetch import is_public
from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.services import add_feed, sync_feeds
from innkeeper.extensions import db
from tests.helpers import all_day, ics, taken


@pytest.fixture
def app_overrides() -> dict:
    return {}


def feed_count() -> int:
    return db.session.scalar(select(func.count()).select_from(CalendarFeed))


NON_PUBLIC = [
    "127.0.0.1",
    "localhost",
    "10.1.2.3",
    "172.16.0.5",
    "192.168.1.10",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "100.64.0.1",
    "[::1]",
    "[fe80::1]",
    "[fc00::1]",
    "[::ffff:127.0.0.1]",
    "[::127.0.0.1]",
    "[64:ff9b::127.0.0.1]",
    "[2002:7f00:1::1]",
    "[::]",
    "[ff02::1]",
]


@pytest.mark.parametrize("host", NON_PUBLIC)
def test_calendar_add_refuses_a_non_public_address(runner, make_property, host):
    prop = make_property()
    result = runner.invoke(args=["calendar", "add", prop.slug, f"http://{host}/feed.ics"])
    assert result.exit_code != 0
    assert "non-public address" in result.output
    assert "FEED_ALLOW_PRIVATE" in result.output
    assert feed_count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "webcal://calendar.example.com/feed.ics",
        "ftp://calendar.example.com/feed.ics",
        "file:///etc/passwd",
        "calendar.example.com/feed.ics",
        "https://",
        "https://calendar.example.com:99999/feed.ics",
    ],
)
def test_calendar_add_refuses_what_is_not_a_web_address(runner, make_property, url):
    prop = make_property()
    result = runner.invoke(args=["calendar", "add", prop.slug, url])
    assert result.exit_code != 0
    assert url in result.output
    assert feed_count() == 0


def test_calendar_add_refuses_a_host_that_does_not_resolve(runner, make_property):
    prop = make_property()
    result = runner.invoke(args=["calendar", "add", prop.slug, "https://no-such-host.invalid/a"])
    assert result.exit_code != 0
    assert "does not resolve" in result.output
    assert feed_count() == 0


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14",
        "8.8.8.8",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        # NAT64 and 6to4 forms of 8.8.8.8.
        "64:ff9b::8.8.8.8",
        "2002:808:808::1",
    ],
)
def test_public_addresses_are_allowed(address):
    assert is_public(address)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        # IPv4-compatible, NAT64 and 6to4 forms of loopback, private and link-local addresses.
        "::127.0.0.1",
        "::10.0.0.1",
        "64:ff9b::127.0.0.1",
        "64:ff9b::192.168.1.10",
        "64:ff9b::169.254.169.254",
        "2002:7f00:1::1",
        "2002:a00:1::",
        "2002:a9fe:a9fe::1",
        # NAT64 for a network's own use reaches that network.
        "64:ff9b:1::8.8.8.8",
    ],
)
def test_non_public_addresses_are_not(address):
    assert not is_public(address)


@pytest.mark.parametrize("port", [22, 25, 5432, 8080])
def test_calendar_add_refuses_ports_other_than_80_and_443(runner, make_property, port):
    prop = make_property()
    url = f"https://calendar.example.com:{port}/feed.ics"
    result = runner.invoke(args=["calendar", "add", prop.slug, url])
    assert result.exit_code != 0
    assert f"uses port {port}" in result.output
    assert "FEED_ALLOW_PRIVATE" in result.output
    assert feed_count() == 0


def test_private_address_is_refused_again_when_the_feed_is_fetched(
    app, make_property, feed_server, future
):
    prop = make_property()
    app.config["FEED_ALLOW_PRIVATE"] = True
    add_feed(prop.slug, feed_server.serve("/a.ics", ics(all_day("a", future(30), future(31)))))
    app.config["FEED_ALLOW_PRIVATE"] = False

    report = sync_feeds()

    assert report.failed == 1
    assert feed_server.requests == []
    assert taken(prop) == {}
    assert "FEED_ALLOW_PRIVATE" in db.session.scalar(select(CalendarFeed)).error_message


@pytest.mark.parametrize(
    ("location", "error"),
    [
        ("http://169.254.169.254/latest/", "169.254.169.254 is a loopback, private"),
        ("http://93.184.215.14:25/", "uses port 25"),
    ],
)
def test_a_redirect_to_a_private_address_or_port_is_not_followed(
    make_property, feed_server, future, monkeypatch, location, error
):
    prop = make_property()
    # The test server stands for a public one that sends the fetcher on to an internal one.
    monkeypatch.setattr(fetch, "is_public", lambda address: address == "127.0.0.1")
    monkeypatch.setattr(fetch, "PORTS", (80, 443, feed_server.httpd.server_address[1]))
    url = feed_server.serve("/a.ics", b"", status=302, headers={"Location": location})
    add_feed(prop.slug, url)

    report = sync_feeds()

    assert report.failed == 1
    assert error in db.session.scalar(select(CalendarFeed)).error_message
    assert [path for path, _ in feed_server.requests] == ["/a.ics"]


def test_a_redirect_from_https_to_http_is_not_followed(
    app, make_property, feed_server, future, monkeypatch
):
    app.config["FEED_ALLOW_PRIVATE"] = True
    # The test server speaks plain HTTP: let https:// URLs reach it, TLS is not tested here.
    monkeypatch.setattr(fetch, "_PinnedHTTPSConnection", fetch._PinnedHTTPConnection)
    prop = make_property()
    target = feed_server.serve("/new.ics", ics(all_day("a", future(30), future(31))))
    feed_server.serve("/old.ics", b"", status=301, headers={"Location": target})
    add_feed(prop.slug, feed_server.url("/old.ics").replace("http://", "https://"))

    report = sync_feeds()

    assert report.failed == 1
    assert [path for path, _ in feed_server.requests] == ["/old.ics"]
    assert taken(prop) == {}
    assert "from https:// to http://" in db.session.scalar(select(CalendarFeed)).error_message
