"""Mail speaks its reader's language: a guest's the one they booked in, whenever it is sent
(the worker days later included); each host's their own.

The words come from the catalogue; dates and money from Babel, whatever the catalogue holds,
so the Spanish here is read in them and in each message's <html lang>.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.host.models import Host
from innkeeper.host.services import set_language
from tests.helpers import booked, csrf_token_from, outbox, parts, reservations

REMINDER_DAYS = 3


@pytest.fixture
def app_overrides(app_overrides) -> dict:
    return {**app_overrides, "REMINDER_DAYS": REMINDER_DAYS}


def html_lang(message) -> str:
    [html] = parts(message)["text/html"]
    return re.search(r'<html lang="([^"]+)"', html.get_content())[1]


def test_a_guest_who_books_in_spanish_keeps_spanish_for_the_confirmation(
    client, book, make_property, future, run_jobs, smtp
):
    prop = make_property()
    client.get("/?lang=es")
    link = booked(book(prop, future(10), future(12), email="lucia@example.com"))

    [reservation] = reservations(code=link.code)
    assert reservation.locale == "es"
    run_jobs()
    [message] = smtp.to("lucia@example.com")
    assert html_lang(message) == "es"
    text = message.get_body(("plain",)).get_content()
    assert format_date(future(10), "full", locale="es") in text


@pytest.mark.time_machine(datetime(2031, 3, 3, 8, 0, tzinfo=UTC))
def test_the_reminder_sent_by_the_worker_days_later_is_in_the_guests_language(
    time_machine, client, book, make_property, future, run_jobs, smtp
):
    prop = make_property()
    check_in = future(REMINDER_DAYS + 5)
    client.get("/?lang=es")
    booked(book(prop, check_in, check_in + timedelta(days=2), email="lucia@example.com"))
    run_jobs()  # the confirmation; the reminder is not due yet
    smtp.received.clear()

    time_machine.shift(timedelta(days=5))
    run_jobs()  # a worker: no request, no guest's browser to ask

    [reminder] = smtp.to("lucia@example.com")
    assert html_lang(reminder) == "es"
    text = reminder.get_body(("plain",)).get_content()
    assert format_date(check_in, "full", locale="es") in text
    assert format_date(check_in, "full", locale="en") not in text


def test_the_stay_file_speaks_the_guests_language_when_a_host_accepts_in_english(
    client, book, make_property, future, auth
):
    """The request is answered on a host page in English: the guest's calendar file is Spanish."""
    prop = make_property(booking_mode="request")
    client.get("/?lang=es")
    link = booked(book(prop, future(10), future(12)))
    client.get("/?lang=en")
    auth.login()
    page = client.get(f"/host/reservations/{link.code}")
    assert 'lang="en"' in page.get_data(as_text=True)
    client.post(
        f"/host/reservations/{link.code}/accept",
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )

    [confirmation] = outbox(kind="confirmation")
    [stay_file] = confirmation.attachments
    # Unfolded, and its commas unescaped (RFC 5545).
    description = stay_file["data"].replace("\r\n ", "").replace("\\,", ",")
    assert format_date(future(10), "full", locale="es") in description
    assert format_date(future(10), "full", locale="en") not in description


def test_each_host_is_mailed_in_their_own_language(
    client, hosts, book, make_property, future, run_jobs, smtp
):
    owner = db.session.scalar(select(Host).where(Host.email == hosts[0]))
    set_language(owner, "es")  # the co-host keeps the site's language, English
    booked(book(make_property(), future(10), future(12)))

    run_jobs()

    [to_owner] = smtp.to(hosts[0])
    [to_cohost] = smtp.to(hosts[1])
    assert html_lang(to_owner) == "es"
    assert html_lang(to_cohost) == "en"
