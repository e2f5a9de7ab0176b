"""Bookings fired at once at a real gunicorn with several worker processes.

Each client is a browser of its own (cookie jar, session, CSRF token from the page it
loaded); a barrier releases all the POSTs together so that the workers contend for the
same nights for real. Windows overlap partially, not only identically.
"""

import re
import sqlite3
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, select

from innkeeper import create_app
from innkeeper.availability.models import Night
from innkeeper.availability.services import nights_of
from innkeeper.database import PROPERTY_LOCK_NAMESPACE, write_transaction
from innkeeper.extensions import db
from innkeeper.mail.models import OutboxMessage
from innkeeper.properties.models import Property
from innkeeper.reservations.models import Reservation
from tests.helpers import (
    POSTGRES_ADMIN_URL,
    GuestLink,
    base_config,
    booking_form,
    count_rows,
    csrf_token_from,
    migrate_database,
)

WORKERS = 4
CLIENTS = 24

postgresql_only = pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)


# --- clients --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: str

    @property
    def code(self) -> str:
        """The reservation code of a 303 to the guest's page."""
        return GuestLink.parse(self.headers["Location"]).code


class _KeepRedirects(HTTPRedirectHandler):
    """Hand the 303 back to the test instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One guest: cookies of its own, and the CSRF token of the page it loaded."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _KeepRedirects)
        self.csrf_token = ""

    def request(self, path: str, form: dict | None = None) -> Answer:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(Request(self.base_url + path, data=data), timeout=30) as r:
                return Answer(r.status, r.headers, r.read().decode())
        except HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read().decode())

    def open_property(self, slug: str) -> None:
        page = self.request(f"/properties/{slug}")
        assert page.status == 200, page.body
        self.csrf_token = csrf_token_from(page.body)

    def book(self, slug: str, check_in: date, check_out: date, email: str) -> Answer:
        form = booking_form(check_in, check_out, csrf_token=self.csrf_token, email=email)
        return self.request(f"/properties/{slug}/reservations", form)


def book_together(url: str, attempts: list[tuple[str, date, date]]) -> list[Answer]:
    """Each (slug, check_in, check_out) from its own browser, every POST released at once."""
    barrier = threading.Barrier(len(attempts))

    def attempt(number: int, slug: str, check_in: date, check_out: date) -> Answer:
        try:
            browser = Browser(url)
            browser.open_property(slug)
            barrier.wait(timeout=30)
        except BaseException:
            barrier.abort()
            raise
        return browser.book(slug, check_in, check_out, f"guest{number}@example.com")

    with ThreadPoolExecutor(len(attempts)) as pool:
        futures = [pool.submit(attempt, n, *a) for n, a in enumerate(attempts)]
        return [future.result() for future in futures]


def overlapping_windows(start: date, clients: int = CLIENTS) -> list[tuple[date, date]]:
    """3-night stays checking in on start, start+1 or start+2: every two of them overlap."""
    return [
        (start + timedelta(days=n % 3), start + timedelta(days=n % 3 + 3)) for n in range(clients)
    ]


# --- what the database holds ----------------------------------------------------------


def stored(property_id: int) -> tuple[list[Reservation], list[Night]]:
    """The property's reservations and night rows, read in a fresh transaction."""
    db.session.rollback()
    reservations = db.session.scalars(
        select(Reservation).filter_by(property_id=property_id).order_by(Reservation.id)
    ).all()
    nights = db.session.scalars(select(Night).filter_by(property_id=property_id)).all()
    return list(reservations), list(nights)


def double_booked(reservations: list[Reservation]) -> set[date]:
    """Nights inside more than one live stay, judged from the reservations' own dates."""
    counts = Counter(
        night
        for reservation in reservations
        if reservation.holds_nights
        for night in nights_of(reservation.check_in, reservation.check_out)
    )
    return {night for night, count in counts.items() if count > 1}


def assert_one_winner(prop: Property, answers: list[Answer], retry_allowed: bool = False) -> None:
    """Exactly one 303 and only 409s besides (or 503s, where allowed); the database holds
    that stay and nothing else."""
    statuses = Counter(a.status for a in answers)
    assert statuses[303] == 1
    refused = {409, 503} if retry_allowed else {409}
    assert set(statuses) - {303} <= refused, statuses
    assert all("Please choose other dates" in a.body for a in answers if a.status == 409)
    assert all(a.headers["Retry-After"] for a in answers if a.status == 503)
    [winner] = [a for a in answers if a.status == 303]

    reservations, nights = stored(prop.id)
    [reservation] = reservations
    assert reservation.code == winner.code
    assert reservation.holds_nights
    assert sorted(n.night for n in nights) == nights_of(reservation.check_in, reservation.check_out)
    assert {n.reservation_id for n in nights} == {reservation.id}
    assert not double_booked(reservations)
    # Refused bookings left no mail behind either.
    mailed_about = db.session.scalars(select(OutboxMessage.reservation_id)).all()
    assert mailed_about and set(mailed_about) == {reservation.id}


# --- overlapping bookings -------------------------------------------------------------


def test_only_one_of_many_overlapping_bookings_succeeds(start_server, make_property, future):
    prop = make_property()
    server = start_server(workers=WORKERS)
    windows = overlapping_windows(future(30))

    answers = book_together(server.url, [(prop.slug, *window) for window in windows])

    assert_one_winner(prop, answers)


def test_the_database_alone_refuses_overlaps(start_server, make_property, future):
    """No application check and no per-property lock: the night table's key is the guard.

    Without the lock, PostgreSQL may break a wait cycle between two inserts of the same
    nights as a deadlock; that guest gets 503 and may retry. Never a second success.
    """
    prop = make_property()
    server = start_server(workers=WORKERS, BOOKING_APP_CHECK=False, BOOKING_LOCK=False)
    windows = overlapping_windows(future(30))

    answers = book_together(server.url, [(prop.slug, *window) for window in windows])

    assert_one_winner(prop, answers, retry_allowed=True)


# --- bookings that do not overlap -----------------------------------------------------


def adjacent_windows(start: date, count: int) -> list[tuple[date, date]]:
    """2-night stays, each checking in on the day the one before checks out."""
    return [
        (start + timedelta(days=2 * n), start + timedelta(days=2 * n + 2)) for n in range(count)
    ]


def test_disjoint_bookings_of_one_property_all_succeed(start_server, make_property, future):
    prop = make_property()
    server = start_server(workers=WORKERS)
    windows = adjacent_windows(future(30), 12)

    answers = book_together(server.url, [(prop.slug, *window) for window in windows])

    assert [a.status for a in answers] == [303] * 12
    reservations, nights = stored(prop.id)
    assert len(reservations) == 12
    assert len(nights) == 24
    assert not double_booked(reservations)


def test_the_same_dates_on_two_properties_both_succeed(start_server, make_property, future):
    first, second = make_property(), make_property()
    server = start_server(workers=WORKERS)
    windows = adjacent_windows(future(30), 6)

    answers = book_together(
        server.url, [(prop.slug, *window) for window in windows for prop in (first, second)]
    )

    assert [a.status for a in answers] == [303] * 12
    for prop in (first, second):
        reservations, nights = stored(prop.id)
        assert sorted((r.check_in, r.check_out) for r in reservations) == windows
        assert len(nights) == 12


# --- a lock held too long: 503, never 500 ---------------------------------------------


@postgresql_only
def test_a_booking_that_waits_too_long_for_the_property_lock_gets_503(
    start_server, make_property, future, database_url
):
    prop = make_property()
    server = start_server(workers=2, BOOKING_LOCK_TIMEOUT_MS=300)
    browser = Browser(server.url)
    browser.open_property(prop.slug)
    holder = psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True)
    try:
        holder.execute(
            "SELECT pg_advisory_lock(%s::int, %s::int)", (PROPERTY_LOCK_NAMESPACE, prop.id)
        )
        started = time.monotonic()
        answer = browser.book(prop.slug, future(30), future(33), "guest@example.com")
        waited = time.monotonic() - started
    finally:
        holder.close()

    assert answer.status == 503
    assert answer.headers["Retry-After"]
    assert 0.3 <= waited < 5
    assert stored(prop.id) == ([], [])
    assert count_rows("outbox_message") == 0
    # Once the lock is free, the same guest books the same stay.
    assert browser.book(prop.slug, future(30), future(33), "guest@example.com").status == 303


@sqlite_only
def test_a_booking_that_waits_too_long_for_the_sqlite_write_lock_gets_503(
    app, book, make_property, future
):
    prop = make_property()
    # The same answer as after the full busy_timeout, without waiting 15 seconds for it.
    event.listen(
        db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=200")
    )
    db.engine.dispose()
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        answer = book(prop, future(30), future(33))
    finally:
        holder.close()

    assert answer.status_code == 503
    assert answer.headers["Retry-After"]
    # The guest keeps the form, with what they typed and a word to try again.
    html = answer.get_data(as_text=True)
    assert "Many guests are booking right now" in html
    assert 'value="Ada Lovelace"' in html
    assert stored(prop.id) == ([], [])
    assert count_rows("outbox_message") == 0
    assert book(prop, future(30), future(33)).status_code == 303


# --- the harness sees a race when there is one ----------------------------------------


@pytest.fixture
def unguarded_app(postgres_database, tmp_path):
    """The app on a throwaway PostgreSQL database whose night table has no primary key."""
    name = f"innkeeper_unguarded_{uuid.uuid4().hex[:12]}"
    url = re.sub(r"/[^/]*$", f"/{name}", postgres_database)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            migrate_database(tmp_path, url)
            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute("ALTER TABLE night DROP CONSTRAINT pk_night")
            app = create_app(base_config(tmp_path, url))
            yield app
            with app.app_context():
                db.engine.dispose()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
def test_without_the_night_key_a_check_then_insert_double_books(
    unguarded_app: Flask, start_server, future
):
    """Proof that the harness can see a race: the application check alone lets overlaps in."""
    with unguarded_app.app_context():
        with write_transaction() as session:
            prop = Property(
                slug="unguarded",
                name="Unguarded",
                currency="USD",
                timezone="UTC",
                nightly_rate_minor=10000,
                weekend_rate_minor=10000,
                max_guests=4,
            )
            session.add(prop)
        server = start_server(
            workers=WORKERS,
            SQLALCHEMY_DATABASE_URI=unguarded_app.config["SQLALCHEMY_DATABASE_URI"],
            BOOKING_LOCK=False,
        )
        # A race is likely, not certain, in any one round; a few rounds make it sure.
        for round_number in range(10):
            start = future(30 + 10 * round_number)
            answers = book_together(
                server.url, [("unguarded", *w) for w in overlapping_windows(start)]
            )
            assert {a.status for a in answers} <= {303, 409}
            if sum(a.status == 303 for a in answers) > 1:
                break
        else:
            pytest.fail("ten rounds of overlapping bookings never raced")

        reservations, nights = stored(prop.id)
        assert double_booked(reservations)
        assert len(nights) > len({n.night for n in nights})
