"""Host sessions live on the server: signing out, a new password or "sign out everywhere"
ends them for good, and they end by themselves when idle or old."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from innkeeper import create_app
from innkeeper.extensions import db
from innkeeper.host.auth import current_host, host_required
from innkeeper.host.models import HostSession
from innkeeper.host.services import change_password, create_host
from tests.helpers import (
    FreshContextClient,
    HostAuth,
    count_rows,
    csrf_token_from,
    login,
)

START = datetime(2031, 3, 3, 9, tzinfo=UTC)


def session_cookie(client, name: str = "session") -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def replay(app, cookie: str, name: str = "session"):
    """Open the dashboard in another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie(name, cookie)
    return thief.get("/host/")


def sessions() -> list[HostSession]:
    db.session.rollback()
    return list(db.session.scalars(select(HostSession).order_by(HostSession.id)))


def second_browser(app, auth) -> HostAuth:
    other = HostAuth(app.test_client(), auth.email, auth.password)
    other.login()
    return other


def test_a_cookie_copied_before_logout_no_longer_opens_the_dashboard(app, client, auth):
    auth.login()
    copied = session_cookie(client)
    assert replay(app, copied).status_code == 200
    auth.logout()
    assert replay(app, copied).status_code == 302
    assert sessions() == []


def test_the_cookie_carries_only_a_token_whose_hash_the_server_keeps(app, client, auth):
    auth.login()
    content = app.session_interface.get_signing_serializer(app).loads(session_cookie(client))
    assert set(content) <= {"host_session", "csrf_token"}
    token = content["host_session"]
    assert len(token) >= 40
    [stored] = sessions()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([tuple(row) for row in db.session.execute(select(HostSession))])


def test_each_sign_in_opens_a_session_of_its_own(app, client, auth):
    auth.login()
    other = second_browser(app, auth)
    assert len(sessions()) == 2
    other.logout()
    assert client.get("/host/").status_code == 200
    assert len(sessions()) == 1


def test_sign_out_everywhere_ends_every_session_of_the_host_only(app, client, auth):
    auth.login()
    other = second_browser(app, auth)
    cohost = HostAuth(app.test_client(), "cohost@example.com", "another long passphrase")
    create_host(cohost.email, cohost.password)
    cohost.login()

    dashboard = client.get("/host/").get_data(as_text=True)
    assert 'action="/host/sessions/end-all"' in dashboard
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    response = client.post("/host/sessions/end-all", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/login"

    assert client.get("/host/").status_code == 302
    assert other.client.get("/host/").status_code == 302
    assert cohost.client.get("/host/").status_code == 200
    assert len(sessions()) == 1


def test_sign_out_everywhere_without_a_csrf_token_changes_nothing(app, client, auth):
    auth.login()
    second_browser(app, auth)
    assert client.post("/host/sessions/end-all").status_code == 400
    assert len(sessions()) == 2
    assert client.get("/host/").status_code == 200


# --- a new password ----------------------------------------------------------------------


@pytest.fixture
def password_page(app):
    """A host page that changes the signed-in host's password, as a settings form would."""

    @app.post("/host/test-password")
    @host_required
    def new_password():
        change_password(current_host(), "a brand new passphrase")
        return "changed"

    return "/host/test-password"


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(
    app, client, auth, password_page
):
    auth.login()
    other = second_browser(app, auth)
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    assert client.post(password_page, data={"csrf_token": token}).status_code == 200

    assert client.get("/host/").status_code == 200
    assert other.client.get("/host/").status_code == 302
    assert len(sessions()) == 1
    assert login(other.client, auth.email, "a brand new passphrase").status_code == 303


def test_host_passwd_signs_every_browser_out(app, client, auth, runner):
    auth.login()
    result = runner.invoke(
        args=["host", "passwd", auth.email, "--password-stdin"], input="a brand new passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "signed out" in result.output
    assert client.get("/host/").status_code == 302
    assert sessions() == []


def test_a_refused_new_password_ends_no_session(app, client, auth, runner):
    auth.login()
    result = runner.invoke(
        args=["host", "passwd", auth.email, "--password-stdin"], input="password\n"
    )
    assert result.exit_code != 0
    assert client.get("/host/").status_code == 200


# --- timeouts ----------------------------------------------------------------------------


def test_a_session_ends_after_two_idle_hours(client, auth, time_machine):
    time_machine.move_to(START, tick=False)
    auth.login()
    for _ in range(3):
        time_machine.shift(timedelta(minutes=119))
        assert client.get("/host/").status_code == 200
    time_machine.shift(timedelta(hours=2))
    response = client.get("/host/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/host/login")


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, auth, time_machine):
    time_machine.move_to(START, tick=False)
    auth.login()
    for _ in range(11):
        time_machine.shift(timedelta(hours=1))
        assert client.get("/host/").status_code == 200
    time_machine.shift(timedelta(minutes=59))
    assert client.get("/host/").status_code == 200
    time_machine.shift(timedelta(minutes=1))
    assert client.get("/host/").status_code == 302


@pytest.fixture
def app_overrides(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize(
    "app_overrides", [{"HOST_SESSION_IDLE_MINUTES": 10, "HOST_SESSION_MAX_HOURS": 1}], indirect=True
)
def test_the_timeouts_are_settings(client, auth, time_machine):
    time_machine.move_to(START, tick=False)
    auth.login()
    time_machine.shift(timedelta(minutes=11))
    assert client.get("/host/").status_code == 302
    auth.login()
    for _ in range(6):
        time_machine.shift(timedelta(minutes=9))
        assert client.get("/host/").status_code == 200
    time_machine.shift(timedelta(minutes=6))
    assert client.get("/host/").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(client, auth, time_machine):
    time_machine.move_to(START, tick=False)
    auth.login()
    signed_in = START.replace(tzinfo=None)
    time_machine.shift(timedelta(seconds=30))
    client.get("/host/")
    assert sessions()[0].last_seen_at == signed_in
    time_machine.shift(timedelta(seconds=31))
    client.get("/host/")
    client.get("/host/")
    assert sessions()[0].last_seen_at == signed_in + timedelta(seconds=61)


def test_the_worker_purges_ended_sessions(app, client, auth, runner, time_machine):
    time_machine.move_to(START, tick=False)
    auth.login()
    time_machine.shift(timedelta(hours=1))
    second_browser(app, auth)
    time_machine.shift(timedelta(hours=1, minutes=30))
    assert runner.invoke(args=["jobs", "run", "--once"]).exit_code == 0
    # The first idled for 2½ hours; the second, used an hour and a half ago, is still open.
    assert [s.created_at for s in sessions()] == [(START + timedelta(hours=1)).replace(tzinfo=None)]


# --- the cookie --------------------------------------------------------------------------


def cookie_attributes(response, name: str) -> list[str]:
    """The attributes of the Set-Cookie header for `name`, its value first."""
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return [part.strip() for part in header.split(";")]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, auth):
    attributes = cookie_attributes(auth.login(), "session")
    assert {"HttpOnly", "SameSite=Lax"} <= set(attributes)


def test_over_https_the_session_cookie_has_the_host_prefix(app_config, auth, monkeypatch):
    monkeypatch.setenv("BASE_URL", "https://stay.example.com")
    config = {key: value for key, value in app_config.items() if key != "BASE_URL"}
    secure_app = create_app(config)
    secure_app.test_client_class = FreshContextClient
    browser = secure_app.test_client()
    with secure_app.app_context():
        signed_in = login(browser, auth.email, auth.password)
        # The browser remembered for the sign-in limits (see test_login_throttle) too.
        for name in ("__Host-session", "__Host-host_device"):
            attributes = cookie_attributes(signed_in, name)
            assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
            assert not any(part.lower().startswith("domain=") for part in attributes)
        assert browser.get("/host/", base_url="https://localhost").status_code == 200
        db.session.remove()
        db.engine.dispose()
    assert count_rows("host_session") == 1
