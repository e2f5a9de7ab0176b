"""Host sign-in: the form, the session, the guard on every host page, and the throttle."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from werkzeug.routing import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
)
from werkzeug.security import generate_password_hash

from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.host.models import Host
from tests.helpers import csrf_token_from, database_snapshot, login, redirect_target

# Pages that must open without a sign-in: signing in, and signing out.
OPEN_PAGES = {"/host/login", "/host/logout"}
# The catch-all behind which unknown /host/ paths wait; tested on its own below.
CATCH_ALL = "host.unknown"
# Methods a browser may only read with; any other method changes something.
SAFE_METHODS = {"GET", "HEAD"}


def test_login_page_is_a_form_with_csrf_email_and_password(client):
    html = client.get("/host/login").get_data(as_text=True)
    for name in ("csrf_token", "email", "password"):
        assert f'name="{name}"' in html


# --- the guard on every host page ------------------------------------------------------


def sample_value(converter):
    """A plausible value for a URL converter: the view behind it runs with it."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, PathConverter | UnicodeConverter):
        return "x"
    raise AssertionError(f"no sample value for {type(converter).__name__}: add one here")


def host_pages(app) -> list[tuple[str, str, str]]:
    """(endpoint, path, method) for every rule under /host/ that must need a sign-in."""
    adapter = app.url_map.bind("innkeeper.test")
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/host/") or rule.rule in OPEN_PAGES:
            continue
        if rule.endpoint == CATCH_ALL:
            continue
        values = {name: sample_value(rule._converters[name]) for name in rule.arguments}
        _, path = rule.build(values)
        # OPTIONS is answered by Flask itself from the rule, without running the view.
        for method in sorted(rule.methods - {"OPTIONS"}):
            # The sample path must reach this very rule, not another one or the catch-all.
            assert adapter.match(path, method) == (rule.endpoint, values), (rule, path)
            pages.append((rule.endpoint, path, method))
    return pages


@pytest.fixture
def stored_state(auth, make_reservation):
    """A host account, a stay, its nights and its mail: what a host page could change."""
    make_reservation(name="Grace Hopper")
    return database_snapshot()


def test_host_pages_redirect_to_login(app, client, stored_state):
    """Every host page and action, as the app's URL map lists them, needs a signed-in host.

    A view added under /host/ without @host_required fails here.
    """
    pages = host_pages(app)
    endpoints = {endpoint for endpoint, _, _ in pages}
    # The enumeration finds the pages it must: it cannot pass by finding nothing.
    assert {"dashboard.show", "mail_admin.message"} <= endpoints, endpoints
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))

    wrong = []
    for endpoint, path, method in pages:
        # Actions get a valid CSRF token, so that the guard, not the CSRF check, refuses them.
        data = None if method in SAFE_METHODS else {"csrf_token": token}
        response = client.open(path, method=method, data=data)
        target = redirect_target(response.headers.get("Location", ""))
        if response.status_code != 302 or target != ("/host/login", [path]):
            wrong.append(f"{method} {path} ({endpoint}): {response.status_code} {target}")
        if method not in SAFE_METHODS and database_snapshot() != stored_state:
            wrong.append(f"{method} {path} ({endpoint}) changed the database when signed out")
    assert wrong == []


def test_signing_out_when_signed_out_goes_to_the_login_and_changes_nothing(client, stored_state):
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    response = client.post("/host/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/login"
    assert database_snapshot() == stored_state


def test_an_unknown_host_page_redirects_when_signed_out_and_is_404_when_signed_in(client, auth):
    response = client.get("/host/no/such/page")
    assert response.status_code == 302
    assert redirect_target(response.headers["Location"]) == ("/host/login", ["/host/no/such/page"])
    auth.login()
    assert client.get("/host/no/such/page").status_code == 404


# --- signing in and out ----------------------------------------------------------------


def test_a_host_signs_in_and_sees_the_week_s_arrivals(
    client, auth, make_property, make_reservation, future
):
    make_reservation(make_property(name="Pine Cabin"), future(3), name="Grace Hopper")
    response = auth.login()
    assert response.headers["Location"] == "/host/"
    html = client.get("/host/").get_data(as_text=True)
    assert "Grace Hopper" in html
    assert "Pine Cabin" in html


def test_the_email_address_is_matched_whatever_its_case(client, auth):
    assert login(client, "Host@Example.COM", auth.password).status_code == 303
    assert client.get("/host/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, auth):
    response = login(client, auth.email, "wrong password")
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/host/").status_code == 302


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_an_older_password_hash_signs_in_and_is_upgraded_to_argon2id(client, auth, method):
    older = generate_password_hash(auth.password, method=method)
    with write_transaction() as session:
        session.execute(update(Host).values(password_hash=older))
    assert login(client, auth.email, "wrong password").status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(Host.password_hash)) == older

    auth.login()
    db.session.rollback()
    assert db.session.scalar(select(Host.password_hash)).startswith("$argon2id$")
    auth.logout()
    auth.login()


def test_logout_ends_the_session(client, auth):
    auth.login()
    assert client.get("/host/").status_code == 200
    auth.logout()
    assert client.get("/host/").status_code == 302


def test_repeated_failed_logins_are_refused_for_a_while(client, auth, time_machine):
    time_machine.move_to(datetime(2031, 3, 3, 12, tzinfo=UTC), tick=False)
    statuses = [login(client, auth.email, "guess").status_code for _ in range(6)]
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429
    # Even the right password is refused until the window passes.
    assert login(client, auth.email, auth.password).status_code == 429
    time_machine.shift(61)
    assert login(client, auth.email, auth.password).status_code == 303


def test_failed_logins_from_one_address_do_not_lock_out_another(client, app, auth):
    for _ in range(6):
        login(client, auth.email, "guess")
    other = app.test_client()
    elsewhere = {"REMOTE_ADDR": "10.0.0.9"}
    page = other.get("/host/login", environ_base=elsewhere).get_data(as_text=True)
    response = other.post(
        "/host/login",
        data={
            "csrf_token": csrf_token_from(page),
            "email": auth.email,
            "password": auth.password,
        },
        environ_base=elsewhere,
    )
    assert response.status_code == 303


def test_next_parameter_cannot_leave_the_host_area(client, auth):
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    response = client.post(
        "/host/login?next=https://evil.example/",
        data={"csrf_token": token, "email": auth.email, "password": auth.password},
    )
    assert response.headers["Location"] == "/host/"


def test_the_host_reads_captured_mail_in_the_admin(client, auth, make_property, make_reservation):
    make_reservation(make_property(name="Pine Cabin"), name="Grace Hopper")
    assert client.get("/host/mail/1").status_code == 302
    auth.login()
    outbox = client.get("/host/mail").get_data(as_text=True)
    assert 'href="/host/mail/1"' in outbox
    html = client.get("/host/mail/1").get_data(as_text=True)
    assert "Hello Grace Hopper" in html
    assert "ada@example.com" in html
    assert client.get("/host/mail/999").status_code == 404


def test_host_pages_are_never_cached(client, auth):
    auth.login()
    assert client.get("/host/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "next_url", ["/host/\nSet-Cookie: x=1", "/host/\\\\evil.example", "/host/\x7f"]
)
def test_a_next_parameter_with_controls_goes_to_the_dashboard(client, auth, next_url):
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    response = client.post(
        "/host/login",
        query_string={"next": next_url},
        data={"csrf_token": token, "email": auth.email, "password": auth.password},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/"


@pytest.mark.parametrize("message_id", [2**31, 2**63, 10**30])
def test_a_huge_mail_id_is_not_found(client, auth, message_id):
    auth.login()
    assert client.get(f"/host/mail/{message_id}").status_code == 404
