"""Host sign-in: the form, the session, and the throttle on failed attempts."""

import pytest

from innkeeper.host.services import create_host
from tests.conftest import csrf_token_from


@pytest.fixture
def host(app):
    return create_host("Host@Example.com", "correct horse battery")


def login(client, email, password):
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    return client.post(
        "/host/login", data={"csrf_token": token, "email": email, "password": password}
    )


def test_login_page_is_a_form_with_csrf_email_and_password(client):
    html = client.get("/host/login").get_data(as_text=True)
    for name in ("csrf_token", "email", "password"):
        assert f'name="{name}"' in html


@pytest.mark.parametrize("path", ["/host/", "/host/properties", "/host/anything"])
def test_host_pages_redirect_to_login(client, path):
    response = client.get(path)
    if response.status_code == 404:
        pytest.fail(f"{path} should exist behind the login or redirect")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/host/login")


def test_a_host_signs_in_and_sees_reservations(client, host, book, make_property, future):
    prop = make_property(name="Pine Cabin")
    book(prop, future(5), future(7), name="Grace Hopper")
    response = login(client, "host@example.com", "correct horse battery")
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/"
    html = client.get("/host/").get_data(as_text=True)
    assert "Grace Hopper" in html
    assert "Pine Cabin" in html


def test_a_wrong_password_is_refused_with_a_message(client, host):
    response = login(client, "host@example.com", "wrong password")
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/host/").status_code == 302


def test_logout_ends_the_session(client, host):
    login(client, "host@example.com", "correct horse battery")
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    assert client.post("/host/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/host/").status_code == 302


def test_repeated_failed_logins_are_refused_for_a_while(client, host):
    statuses = [login(client, "host@example.com", "guess").status_code for _ in range(6)]
    assert statuses[:5] == [422] * 5
    assert statuses[5] == 429
    # Even the right password is refused until the window passes.
    assert login(client, "host@example.com", "correct horse battery").status_code == 429


def test_failed_logins_from_one_address_do_not_lock_out_another(client, app, host):
    for _ in range(6):
        login(client, "host@example.com", "guess")
    other = app.test_client()
    token = csrf_token_from(
        other.get("/host/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_data(as_text=True)
    )
    response = other.post(
        "/host/login",
        data={
            "csrf_token": token,
            "email": "host@example.com",
            "password": "correct horse battery",
        },
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert response.status_code == 303


def test_next_parameter_cannot_leave_the_host_area(client, host):
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    response = client.post(
        "/host/login?next=https://evil.example/",
        data={
            "csrf_token": token,
            "email": "host@example.com",
            "password": "correct horse battery",
        },
    )
    assert response.headers["Location"] == "/host/"


def test_the_host_reads_captured_mail_in_the_admin(client, host, book, make_property, future):
    book(make_property(name="Pine Cabin"), future(5), future(7), name="Grace Hopper")
    assert client.get("/host/mail/1").status_code == 302
    login(client, "host@example.com", "correct horse battery")
    dashboard = client.get("/host/").get_data(as_text=True)
    assert 'href="/host/mail/1"' in dashboard
    html = client.get("/host/mail/1").get_data(as_text=True)
    assert "Hello Grace Hopper" in html
    assert "ada@example.com" in html
    assert client.get("/host/mail/999").status_code == 404


def test_host_pages_are_never_cached(client, host):
    login(client, "host@example.com", "correct horse battery")
    assert client.get("/host/").headers["Cache-Control"] == "no-store"


def test_the_dashboard_lists_stays_not_yet_over_soonest_first(
    client, host, book, make_property, future
):
    prop = make_property()
    book(prop, future(30), future(32), name="Later Guest")
    book(prop, future(5), future(7), name="Sooner Guest")
    login(client, "host@example.com", "correct horse battery")
    html = client.get("/host/").get_data(as_text=True)
    assert html.index("Sooner Guest") < html.index("Later Guest")
