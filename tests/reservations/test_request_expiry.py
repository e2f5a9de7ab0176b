"""Requests left unanswered: `jobs run` expires each once, frees its nights, tells everyone."""

import os
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from innkeeper.config import PROJECT_ROOT
from innkeeper.database import PROPERTY_LOCK_NAMESPACE
from innkeeper.properties.models import BookingMode
from innkeeper.reservations.models import ReservationStatus
from innkeeper.reservations.services import accept
from tests.helpers import TEST_SECRET_KEY, count_rows, outbox, reservations, taken

ASKED = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
HOLD = timedelta(hours=24)


@pytest.fixture
def place(make_property):
    return make_property(booking_mode=BookingMode.REQUEST)


@pytest.fixture
def hosts(runner) -> list[str]:
    for address in ("owner@example.com", "cohost@example.com"):
        result = runner.invoke(
            args=["host", "create", address, "--password-stdin"], input="a long passphrase\n"
        )
        assert result.exit_code == 0, result.output
    return ["cohost@example.com", "owner@example.com"]


def jobs_run(runner) -> str:
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_unanswered_request_expires_at_its_time_once(
    runner, hosts, place, make_reservation, future, time_machine
):
    time_machine.move_to(ASKED, tick=False)
    request = make_reservation(place, future(10), future(13))
    assert request.status is ReservationStatus.REQUESTED

    # A second before its time it still holds its nights.
    time_machine.move_to(ASKED + HOLD - timedelta(seconds=1), tick=False)
    assert "requests expired: 0;" in jobs_run(runner)
    assert len(taken(place)) == 3

    time_machine.move_to(ASKED + HOLD, tick=False)
    assert "requests expired: 1;" in jobs_run(runner)
    [expired] = reservations()
    assert expired.status is ReservationStatus.EXPIRED
    assert taken(place) == {}
    [guest_mail] = outbox(kind="request_expired")
    assert guest_mail.recipients == ["ada@example.com"]
    assert request.code in guest_mail.subject
    assert "did not answer your request in time" in guest_mail.text_body
    told = outbox(kind="host_request_expired")
    assert sorted(m.recipients[0] for m in told) == hosts
    assert all(request.code in m.subject for m in told)

    assert "requests expired: 0;" in jobs_run(runner)
    assert len(outbox(kind="request_expired")) == 1


def test_an_answered_request_never_expires(runner, place, make_reservation, future, time_machine):
    time_machine.move_to(ASKED, tick=False)
    request = make_reservation(place, future(10), future(13))
    accept(request)
    time_machine.move_to(ASKED + 2 * HOLD, tick=False)
    assert "requests expired: 0;" in jobs_run(runner)
    assert [r.status for r in reservations()] == [ReservationStatus.CONFIRMED]
    assert len(taken(place)) == 3


def test_a_fraction_of_an_hour_holds_a_request_that_long(
    app, runner, place, make_reservation, future, time_machine
):
    # 0.01 hours is 36 seconds (REQUEST_HOLD_HOURS=0.01).
    app.config["REQUEST_HOLD_HOURS"] = 0.01
    time_machine.move_to(ASKED, tick=False)
    request = make_reservation(place, future(10), future(13))
    assert request.request_expires_at == (ASKED + timedelta(seconds=36)).replace(tzinfo=None)
    time_machine.move_to(ASKED + timedelta(seconds=36), tick=False)
    assert "requests expired: 1;" in jobs_run(runner)


def worker_environment(database_url: str, instance: Path) -> dict:
    """The environment a worker process reads its settings from, for the test database."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MAIL_", "REQUEST_", "INNKEEPER_"))
    }
    instance.mkdir()
    return {
        **env,
        "DATABASE_URL": database_url,
        "INNKEEPER_INSTANCE": str(instance),
        "SECRET_KEY": TEST_SECRET_KEY,
        "BASE_URL": "http://innkeeper.test",
    }


@contextmanager
def workers_held_at_the_lock(database_url: str, property_id: int, workers: int):
    """Hold the lock the expiry takes until `workers` processes wait for it, then let them
    all go at once, so that they contend for every request."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        yield
        # SQLite tells no one who waits: long enough for both to start, well within
        # their busy timeout.
        time.sleep(4)
        holder.close()
        return
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", (PROPERTY_LOCK_NAMESPACE, property_id))
        yield
        deadline = time.monotonic() + 60
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        while holder.execute(waiting).fetchone()[0] < workers and time.monotonic() < deadline:
            time.sleep(0.05)
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", (PROPERTY_LOCK_NAMESPACE, property_id))


def test_two_workers_at_once_expire_each_request_once(
    app, place, make_reservation, future, time_machine, database_url, tmp_path
):
    """Two `jobs run --once` processes on one database: every request is claimed by one."""
    # Asked two days ago, in real time: overdue for the workers, which run on the real clock.
    real_now = datetime.now(UTC)
    time_machine.move_to(real_now - 2 * HOLD, tick=False)
    requests = [
        make_reservation(place, future(10 + 3 * n), future(12 + 3 * n), email=f"g{n}@example.com")
        for n in range(30)
    ]
    time_machine.move_to(real_now)
    flask = str(Path(sys.executable).with_name("flask"))
    env = worker_environment(database_url, tmp_path / "worker")

    with workers_held_at_the_lock(database_url, place.id, workers=2):
        workers = [
            subprocess.Popen(
                [flask, "--app", "innkeeper", "jobs", "run", "--once"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
    outputs = [worker.communicate(timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    counts = [int(re.search(r"requests expired: (\d+);", out).group(1)) for out, _ in outputs]
    assert sum(counts) == len(requests), counts
    assert {r.status for r in reservations()} == {ReservationStatus.EXPIRED}
    assert count_rows("night") == 0
    expired_mail = outbox(kind="request_expired")
    assert sorted(m.reservation_id for m in expired_mail) == sorted(r.id for r in requests)
