"""One guest, or one address, cannot close a place's calendar: a longest stay, and limits
on booking and quoting per client address that every worker process shares."""

import urllib.error
import urllib.parse
import urllib.request

import pytest

from innkeeper.extensions import db
from innkeeper.ratelimit import RateLimitCounter
from tests.helpers import booking_form, count_rows, csrf_token_from

GUEST = {"REMOTE_ADDR": "203.0.113.7"}
OTHER_GUEST = {"REMOTE_ADDR": "198.51.100.4"}


def test_a_stay_longer_than_the_places_maximum_is_refused_with_422(book, make_property, future):
    prop = make_property(max_nights=30)
    response = book(prop, future(10), future(41))
    assert response.status_code == 422
    assert "at most 30 nights" in response.get_data(as_text=True)
    assert count_rows("reservation") == 0
    assert book(prop, future(10), future(40)).status_code == 303


def test_places_take_stays_of_at_most_thirty_nights_by_default(client, make_property, future):
    prop = make_property()
    response = client.get(
        f"/properties/{prop.slug}/quote",
        query_string={"check_in": future(3), "check_out": future(34), "guests": 2},
    )
    assert response.status_code == 422
    assert "at most 30 nights" in response.get_data(as_text=True)


@pytest.fixture
def app_overrides():
    return {
        "BOOKING_RATE_LIMIT": "2 per hour",
        "QUOTE_RATE_LIMIT": "3 per minute",
        "RATELIMIT_STORAGE_URI": "database://",
    }


def post_booking(client, prop, check_in, check_out, environ):
    page = client.get(f"/properties/{prop.slug}", environ_base=environ)
    form = booking_form(check_in, check_out, csrf_token=csrf_token_from(page.text))
    return client.post(f"/properties/{prop.slug}/reservations", data=form, environ_base=environ)


def test_one_address_makes_a_few_bookings_then_gets_429(client, make_property, future):
    prop = make_property()
    assert post_booking(client, prop, future(10), future(11), GUEST).status_code == 303
    # A refused attempt (422) does not count against the guest.
    assert post_booking(client, prop, future(9), future(9), GUEST).status_code == 422
    assert post_booking(client, prop, future(12), future(13), GUEST).status_code == 303
    refused = post_booking(client, prop, future(14), future(15), GUEST)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert count_rows("reservation") == 2
    # Another guest, from another address, is not refused for the first one's bookings.
    assert post_booking(client, prop, future(14), future(15), OTHER_GUEST).status_code == 303


def test_quotes_are_limited_per_address(client, make_property, future):
    prop = make_property()
    stay = {"check_in": future(3), "check_out": future(5), "guests": 2}
    url = f"/properties/{prop.slug}/quote"
    statuses = [
        client.get(url, query_string=stay, environ_base=GUEST).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get(url, query_string=stay, environ_base=OTHER_GUEST).status_code == 200


def test_the_count_is_kept_in_the_database(client, make_property, future):
    prop = make_property()
    stay = {"check_in": future(3), "check_out": future(5), "guests": 2}
    client.get(f"/properties/{prop.slug}/quote", query_string=stay, environ_base=GUEST)
    db.session.rollback()
    [counter] = db.session.query(RateLimitCounter).all()
    assert "203.0.113.7" in counter.key
    assert counter.count == 1


def test_the_servers_own_address_is_not_limited(client, make_property, future):
    prop = make_property()
    stay = {"check_in": future(3), "check_out": future(5), "guests": 2}
    url = f"/properties/{prop.slug}/quote"
    assert {client.get(url, query_string=stay).status_code for _ in range(5)} == {200}


def test_the_limit_holds_across_processes(start_server, make_property, future):
    """Two servers on one database, asked in turn: they share one count."""
    prop = make_property()
    servers = [start_server(workers=1, PROXY_COUNT=1) for _ in range(2)]
    query = urllib.parse.urlencode({"check_in": future(3), "check_out": future(5), "guests": 2})
    statuses = []
    for turn in range(6):
        request = urllib.request.Request(
            f"{servers[turn % 2].url}/properties/{prop.slug}/quote?{query}",
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses == [200, 200, 200, 429, 429, 429]
