"""The hosts set the site's name, its mail sender and Reply-To, and manage their accounts."""

import re

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.host.models import Host
from innkeeper.settings.models import SiteSettings
from tests.helpers import AUTH_PASSWORD, GuestLink, count_rows, login

SETTINGS = {
    "site_name": "Casa Marina",
    "sender_name": "Marina and Luis",
    "sender_address": "stays@casamarina.example",
    "reply_to": "marina@casamarina.example",
    "host_contact": "+34 600 000 000",
}
CO_HOST = {"email": "luis@casamarina.example", "password": "a second long password"}


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def saved() -> SiteSettings | None:
    db.session.rollback()  # read what the requests committed
    return db.session.get(SiteSettings, 1)


def test_the_settings_page_is_in_the_host_navigation(client, host):
    html = client.get("/host/").get_data(as_text=True)
    assert 'href="/host/settings/"' in html
    page = client.get("/host/settings/")
    assert page.status_code == 200
    assert 'name="site_name" required type="text" value="Innkeeper"' in page.get_data(as_text=True)


def test_the_site_name_is_saved_and_shown_on_guest_and_host_pages(client, host, make_property):
    make_property()

    response = host.post("/host/settings/", SETTINGS)

    assert response.status_code == 303
    assert {k: getattr(saved(), k) for k in SETTINGS} == SETTINGS
    guest_page = client.get("/").get_data(as_text=True)
    assert "<title>Places to stay · Casa Marina</title>" in guest_page
    assert ">Casa Marina</a>" in guest_page
    assert "Casa Marina <span>Host</span>" in client.get("/host/").get_data(as_text=True)
    db.session.rollback()
    [entry] = db.session.scalars(select(Activity).filter_by(action="settings.changed"))
    assert entry.actor == host.email
    assert entry.changes["site_name"] == ["Innkeeper", "Casa Marina"]


def test_fields_left_out_keep_their_values(client, host):
    host.post("/host/settings/", SETTINGS)

    response = host.post("/host/settings/", {"reply_to": "luis@casamarina.example"})

    assert response.status_code == 303
    assert saved().site_name == "Casa Marina"
    assert saved().reply_to == "luis@casamarina.example"


def test_saving_the_same_values_again_logs_nothing_more(client, host):
    host.post("/host/settings/", SETTINGS)
    host.post("/host/settings/", SETTINGS)
    db.session.rollback()
    assert count_rows("activity") == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("site_name", "  ", "Enter the name guests know the site by."),
        ("site_name", "Casa\nMarina", "Use one line of plain text"),
        ("sender_address", "stays@", "Enter an e-mail address like name@example.com."),
        ("reply_to", "marína@casamarina.example", "accented or non-Latin letters"),
    ],
)
def test_a_wrong_setting_is_refused_beside_its_field_and_nothing_is_saved(
    client, host, field, value, message
):
    response = host.post("/host/settings/", {**SETTINGS, field: value})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in html
    assert message in html
    assert saved() is None


def test_mail_comes_from_the_sender_and_replies_go_to_the_host(
    client, host, book, make_property, future
):
    host.post("/host/settings/", SETTINGS)
    response = book(make_property(), future(10), future(12), email="guest@example.com")
    assert response.status_code == 303

    from innkeeper.mail.models import OutboxMessage
    from innkeeper.mail.outbox import to_mail_message

    db.session.rollback()
    guest, host_notice = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    to_guest = to_mail_message(guest)
    assert to_guest["From"] == "Marina and Luis <stays@casamarina.example>"
    assert to_guest["Reply-To"] == "marina@casamarina.example"
    assert "Sent by Casa Marina." in guest.text_body
    # The host's notice: answering it writes to the guest.
    assert to_mail_message(host_notice)["Reply-To"] == "guest@example.com"

    # A message keeps the sender it was queued with, whatever the settings say later.
    host.post("/host/settings/", {"sender_name": "Someone else"})
    db.session.rollback()
    assert to_mail_message(db.session.get(OutboxMessage, guest.id))["From"] == to_guest["From"]


def test_without_settings_mail_comes_from_mail_default_sender(app, make_reservation):
    from innkeeper.mail.models import OutboxMessage
    from innkeeper.mail.outbox import to_mail_message

    app.config["MAIL_DEFAULT_SENDER"] = "Bookings <bookings@example.org>"
    make_reservation()

    message = to_mail_message(db.session.scalars(select(OutboxMessage)).first())
    assert message["From"] == "Bookings <bookings@example.org>"
    assert message["Reply-To"] is None


# --- co-hosts -------------------------------------------------------------------------


def test_a_co_host_added_in_the_admin_signs_in_with_their_own_password(app, client, host):
    response = host.post("/host/settings/hosts", CO_HOST)

    assert response.status_code == 303
    page = client.get("/host/settings/").get_data(as_text=True)
    assert CO_HOST["email"] in page
    other = app.test_client()
    assert login(other, CO_HOST["email"], CO_HOST["password"]).status_code == 303
    assert login(other, CO_HOST["email"], AUTH_PASSWORD).status_code == 422
    db.session.rollback()
    [entry] = db.session.scalars(select(Activity).filter_by(action="host.added"))
    assert (entry.actor, entry.subject) == (host.email, CO_HOST["email"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "host@example.com"}, "email", "already exists"),
        ({"email": "luis@"}, "email", "not a usable e-mail address"),
        ({"password": "short"}, "password", "at least 12 characters"),
        ({"password": "password1234"}, "password", "among the most common"),
    ],
)
def test_a_co_host_that_cannot_be_added_is_refused_beside_the_field(
    client, host, data, field, message
):
    response = host.post("/host/settings/hosts", {**CO_HOST, **data})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in html
    assert message in html
    db.session.rollback()
    assert count_rows("host") == 1


def test_removing_a_co_host_asks_first_then_signs_them_out(app, client, host):
    host.post("/host/settings/hosts", CO_HOST)
    db.session.rollback()
    co_host = db.session.scalar(select(Host).filter_by(email=CO_HOST["email"]))
    other = app.test_client()
    login(other, CO_HOST["email"], CO_HOST["password"])
    assert other.get("/host/").status_code == 200

    url = f"/host/settings/hosts/{co_host.id}/remove"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove the account" in confirm.get_data(as_text=True)
    assert count_rows("host") == 2

    assert host.post(url).status_code == 303
    # A second click finds it gone and changes nothing.
    assert host.post(url).status_code == 303

    assert other.get("/host/").status_code == 302
    assert login(other, CO_HOST["email"], CO_HOST["password"]).status_code == 422
    db.session.rollback()
    assert count_rows("host") == 1
    removed = db.session.scalar(select(Activity.subject).filter_by(action="host.removed"))
    assert removed == CO_HOST["email"]


def test_a_host_cannot_remove_their_own_account(client, host):
    me = db.session.scalar(select(Host))
    host.post("/host/settings/hosts", CO_HOST)

    response = host.post(f"/host/settings/hosts/{me.id}/remove")

    assert response.status_code == 409
    assert "cannot remove your own account" in response.get_data(as_text=True)
    db.session.rollback()
    assert count_rows("host") == 2


# --- one's own password ---------------------------------------------------------------

NEW_PASSWORD = "a brand new long password"


def change(host, current=AUTH_PASSWORD, new=NEW_PASSWORD, again=None):
    return host.post(
        "/host/settings/password",
        {"current_password": current, "new_password": new, "confirm_password": again or new},
    )


def test_a_host_changes_their_password_and_their_other_browsers_are_signed_out(app, client, host):
    other_browser = app.test_client()
    login(other_browser, host.email, AUTH_PASSWORD)

    response = change(host)

    assert response.status_code == 303
    assert client.get("/host/").status_code == 200  # this browser stays in
    assert other_browser.get("/host/").status_code == 302
    assert login(other_browser, host.email, AUTH_PASSWORD).status_code == 422
    assert login(other_browser, host.email, NEW_PASSWORD).status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(Activity.action)) == "host.password_changed"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"current": "not my password"}, "current_password", "not your current password"),
        ({"again": "a different new password"}, "confirm_password", "two new passwords differ"),
        ({"new": "too short"}, "new_password", "at least 12 characters"),
    ],
)
def test_a_password_change_that_fails_says_why_and_keeps_the_old_one(
    app, client, host, kwargs, field, message
):
    response = change(host, **kwargs)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in html
    assert message in html
    other = app.test_client()
    assert login(other, host.email, AUTH_PASSWORD).status_code == 303


def test_host_list_shows_every_account(runner, auth):
    runner.invoke(
        args=["host", "create", CO_HOST["email"], "--password-stdin"],
        input=CO_HOST["password"] + "\n",
    )

    result = runner.invoke(args=["host", "list"])

    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == [
        "host@example.com",
        CO_HOST["email"],
    ]


def test_booked_guests_see_the_site_s_host_contact_when_their_place_has_none(
    client, host, make_property, make_reservation
):
    host.post("/host/settings/", SETTINGS)
    with_own = make_reservation(make_property(slug="cabin", host_contact="Ana: +351 900 000 000"))
    without = make_reservation(make_property(slug="loft"))

    def contact_on_guest_page(reservation) -> str:
        link = GuestLink.of(reservation)
        html = client.get(link.page).get_data(as_text=True)
        return re.search(r"data-host-contact>([^<]*)<", html).group(1)

    assert contact_on_guest_page(with_own) == "Ana: +351 900 000 000"
    assert contact_on_guest_page(without) == "+34 600 000 000"
