"""Failed sign-ins are counted in the database, per client address and per account: first
the next attempt waits a minute, then it is refused until the hour is over."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.ratelimit import RateLimitCounter
from tests.helpers import csrf_token_from

START = datetime(2031, 3, 3, 12, tzinfo=UTC)


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_STORAGE_URI": "database://"}


@pytest.fixture
def addresses():
    """A new client address at each call, as from a stranger with many machines."""
    numbers = count(1)
    return lambda: f"198.51.100.{next(numbers)}"


def login_from(client, address: str, email: str, password: str):
    environ = {"REMOTE_ADDR": address}
    page = client.get("/host/login", environ_base=environ).get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "email": email, "password": password}
    return client.post("/host/login", data=form, environ_base=environ)


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_failed_sign_ins_for_one_account_from_many_addresses_wait_then_are_refused(
    app, auth, addresses, time_machine
):
    time_machine.move_to(START, tick=False)
    stranger = app.test_client()
    statuses = [
        login_from(stranger, addresses(), auth.email, "guess").status_code for _ in range(10)
    ]
    assert statuses == [422] * 10

    waiting = login_from(stranger, addresses(), auth.email, "guess")
    assert waiting.status_code == 429
    assert 0 < retry_after(waiting) <= 61
    assert "Too many failed sign-ins. Please try again in 1 minute." in waiting.text

    # Two more minutes of guessing, and the hour's thirty are spent.
    for _ in range(2):
        time_machine.shift(61)
        statuses = [
            login_from(stranger, addresses(), auth.email, "guess").status_code for _ in range(11)
        ]
        assert statuses == [422] * 10 + [429]
    time_machine.shift(61)
    refused = login_from(stranger, addresses(), auth.email, "guess")
    assert refused.status_code == 429
    assert 61 < retry_after(refused) <= 3600 - 3 * 61 + 1
    assert "Please try again in 1 hour." in refused.text

    time_machine.move_to(START + timedelta(hours=1), tick=False)
    assert login_from(stranger, addresses(), auth.email, auth.password).status_code == 303


def test_an_account_that_does_not_exist_is_counted_the_same(app, auth, addresses, time_machine):
    """The answers do not tell which accounts exist."""
    time_machine.move_to(START, tick=False)
    stranger = app.test_client()
    for email in (auth.email, "nobody@example.com"):
        statuses = [
            login_from(stranger, addresses(), email, "guess").status_code for _ in range(11)
        ]
        assert statuses == [422] * 10 + [429]


def test_a_new_browser_waits_too_while_its_account_is_under_attack(
    app, auth, addresses, time_machine
):
    time_machine.move_to(START, tick=False)
    stranger = app.test_client()
    for _ in range(10):
        login_from(stranger, addresses(), auth.email, "guess")
    assert login_from(app.test_client(), addresses(), auth.email, auth.password).status_code == 429


def test_a_browser_the_host_signed_in_from_is_not_locked_out_by_strangers(
    app, client, auth, addresses, time_machine
):
    time_machine.move_to(START, tick=False)
    home = "203.0.113.20"
    assert login_from(client, home, auth.email, auth.password).status_code == 303
    cookie = client.get_cookie("host_device")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    auth.logout()

    stranger = app.test_client()
    for _ in range(40):
        login_from(stranger, addresses(), auth.email, "guess")
    assert login_from(stranger, addresses(), auth.email, auth.password).status_code == 429

    # A forged cookie counts for nothing.
    stranger.set_cookie("host_device", cookie.value[:-2] + "xx")
    assert login_from(stranger, addresses(), auth.email, auth.password).status_code == 429

    assert login_from(client, home, auth.email, auth.password).status_code == 303


def test_the_browsers_own_attempts_are_counted_too(app, client, auth, addresses, time_machine):
    time_machine.move_to(START, tick=False)
    assert login_from(client, addresses(), auth.email, auth.password).status_code == 303
    auth.logout()
    statuses = [login_from(client, addresses(), auth.email, "typo").status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]


def test_the_counters_are_rows_in_the_database_and_hold_no_address(app, auth, addresses):
    login_from(app.test_client(), "203.0.113.30", auth.email, "guess")
    db.session.rollback()
    keys = list(db.session.scalars(select(RateLimitCounter.key)))
    assert any("203.0.113.30" in key for key in keys)
    assert any("account:" in key for key in keys)
    assert not any("host@example.com" in key for key in keys)


# --- several processes ---------------------------------------------------------------


def sign_in_over_http(server_url: str, address: str, email: str, password: str) -> int:
    """Fetch the login form and post it, as a browser would, from `address`."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        NoRedirects(),
    )
    headers = {"X-Forwarded-For": address}
    with opener.open(urllib.request.Request(f"{server_url}/host/login", headers=headers)) as page:
        token = csrf_token_from(page.read().decode())
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    request = urllib.request.Request(
        f"{server_url}/host/login", data=form.encode(), headers=headers
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_every_worker_process_counts_the_same_failed_sign_ins(start_server, auth, addresses):
    """Two servers of two workers each on one database: the eleventh wrong password for the
    account is refused whichever process answers it."""
    servers = [start_server(workers=2, PROXY_COUNT=1) for _ in range(2)]
    statuses = [
        sign_in_over_http(servers[turn % 2].url, addresses(), auth.email, "guess")
        for turn in range(12)
    ]
    assert statuses == [422] * 10 + [429] * 2
