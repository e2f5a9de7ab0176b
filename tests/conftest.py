"""Fixtures: the app on SQLite and on PostgreSQL, clients, factories and real services.

Only fixtures live here; the helpers tests import by name are in tests/helpers.py.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from innkeeper import create_app
from innkeeper.clock import today_in
from innkeeper.config import PROJECT_ROOT
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.pricing.services import Stay
from innkeeper.properties.models import Property
from innkeeper.reservations.models import Reservation
from innkeeper.reservations.services import Guest, reserve
from tests.helpers import (
    AUTH_EMAIL,
    AUTH_PASSWORD,
    ENGINES,
    POSTGRES_ADMIN_URL,
    FreshContextClient,
    HostAuth,
    LiveServer,
    base_config,
    booking_form,
    compile_catalogues,
    csrf_token_from,
    free_port,
    migrate_database,
    required,
)


def pytest_configure(config):
    """The compiled catalogues, built once by the process that runs the session (xdist's
    workers start after it)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        compile_catalogues()


# --- databases --------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_database(tmp_path_factory):
    """A fresh PostgreSQL database for the session, migrated, dropped at the end."""
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}"
        if required("INNKEEPER_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)  # PostgreSQL is optional outside CI
    name = f"innkeeper_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", POSTGRES_ADMIN_URL).replace(
        "postgresql://", "postgresql+psycopg://", 1
    )
    try:
        migrate_database(tmp_path_factory.mktemp("pg-migrate"), url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file that each test copies, so every test starts empty."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.db"
    migrate_database(folder, f"sqlite:///{path}")
    return path


@pytest.fixture(params=ENGINES)
def engine_name(request):
    return request.param


@pytest.fixture
def database_url(engine_name, request, tmp_path):
    if engine_name == "sqlite":
        path = tmp_path / "innkeeper.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'alembic_version'"
        ).fetchall()
        names = ", ".join(f'"{t[0]}"' for t in tables)
        conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


# --- the app ----------------------------------------------------------------------


@pytest.fixture
def app_overrides() -> dict:
    """Extra settings for the app; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app_config(tmp_path, database_url, app_overrides) -> dict:
    return {**base_config(tmp_path, database_url), **app_overrides}


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories and helpers ----------------------------------------------------------


@pytest.fixture
def make_property(app):
    """Create a property; every column has a default that a test may override."""
    counter = iter(range(1, 1000))

    def make(**overrides) -> Property:
        number = next(counter)
        values = {
            "slug": f"place-{number}",
            "name": f"Place {number}",
            "description": "A quiet place.",
            "currency": "USD",
            "timezone": "UTC",
            "nightly_rate_minor": 10000,
            "weekend_rate_minor": 15000,
            "cleaning_fee_minor": 4000,
            "min_nights": 1,
            "max_guests": 4,
        }
        values.update(overrides)
        with write_transaction() as session:
            prop = Property(**values)
            session.add(prop)
        return prop

    return make


@pytest.fixture
def future():
    """A date `days` after today in UTC (the default properties' timezone).

    Today is the app's: under time travel (time-machine) it is the travelled-to date.
    """

    def at(days: int) -> date:
        return today_in("UTC") + timedelta(days=days)

    return at


@pytest.fixture
def book(client):
    """Post the booking form as a browser would (with its CSRF token); returns the response."""

    def post(
        prop: Property,
        check_in: date | str,
        check_out: date | str,
        guests: int = 2,
        headers=None,
        **fields,
    ):
        page = client.get(f"/properties/{prop.slug}")
        token = csrf_token_from(page.get_data(as_text=True))
        form = booking_form(check_in, check_out, guests, csrf_token=token, **fields)
        return client.post(f"/properties/{prop.slug}/reservations", data=form, headers=headers)

    return post


@pytest.fixture
def make_reservation(make_property, future):
    """Book a stay through the real service, as the booking form does; returns the Reservation.

    Every argument has a default a test may override: a new property, a stay of the
    property's minimum nights (at least two) ten days ahead, two guests, Ada Lovelace.
    The guest's other details (phone, message) may be given too.
    """

    def make(
        prop: Property | None = None,
        check_in: date | None = None,
        check_out: date | None = None,
        **overrides,
    ) -> Reservation:
        prop = prop or make_property()
        check_in = check_in or future(10)
        check_out = check_out or check_in + timedelta(days=max(2, prop.min_nights))
        overrides.setdefault("guests", 2)
        overrides.setdefault("name", "Ada Lovelace")
        overrides.setdefault("email", "ada@example.com")
        stay = Stay(check_in, check_out, overrides.pop("guests"))
        return reserve(prop, stay, Guest(**overrides))

    return make


@pytest.fixture
def auth(app, client) -> HostAuth:
    """A host account; auth.login() and auth.logout() go through the real login form."""
    host = create_host(AUTH_EMAIL, AUTH_PASSWORD)
    return HostAuth(client, host.email, AUTH_PASSWORD)


# --- a real server ----------------------------------------------------------------


@pytest.fixture
def start_server(app_config):
    """Start gunicorn (several worker processes) on the test database; stopped after the test.

    Call it with settings that differ from the test app's, e.g. start_server(workers=4).
    """
    processes = []

    def start(workers: int = 3, **overrides) -> LiveServer:
        port = free_port()
        config = {**app_config, **overrides}
        env = {**os.environ, "INNKEEPER_TEST_CONFIG": json.dumps(config)}
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "tests.live_app:app",
            ],
            cwd=PROJECT_ROOT,
            env=env,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the test server did not start") from None
                time.sleep(0.1)
        return LiveServer(url, process)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def live_server(start_server) -> LiveServer:
    return start_server()
