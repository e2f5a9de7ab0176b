"""Delivery over SMTP: a server that is down, refuses, hangs up or never answers."""

import itertools
import socket
import threading
import time
from datetime import UTC, timedelta

import pytest

from innkeeper.clock import utcnow
from innkeeper.database import write_transaction
from innkeeper.mail.models import OutboxMessage
from tests.helpers import outbox

MAX_ATTEMPTS = 3


@pytest.fixture
def app_overrides(app_overrides) -> dict:
    return {**app_overrides, "MAIL_MAX_ATTEMPTS": MAX_ATTEMPTS, "MAIL_TIMEOUT_SECONDS": 1}


def make_due_now(time_machine) -> None:
    """Let the clock reach every retry that is waiting: travel to just after the last one."""
    waiting = [row.next_attempt_at for row in outbox(status=OutboxMessage.QUEUED)]
    if waiting:
        time_machine.move_to(max(waiting).replace(tzinfo=UTC) + timedelta(seconds=1))


def test_mail_waits_for_a_server_that_is_down_then_goes_out_once(
    make_property, future, book, run_jobs, smtp_server
):
    response = book(make_property(), future(10), future(12))
    assert response.status_code == 303

    output = run_jobs()

    assert "mail server unavailable" in output
    [row] = outbox()
    assert row.status == OutboxMessage.QUEUED
    assert row.attempts == 0
    assert row.last_error

    smtp_server.start()
    run_jobs()
    run_jobs()

    assert len(smtp_server.received) == 1
    [row] = outbox()
    assert row.status == OutboxMessage.SENT
    assert row.sent_at is not None


def test_a_refused_message_is_retried_later_with_the_same_message_id(
    make_reservation, time_machine, run_jobs, smtp
):
    smtp.reply_to_data = "451 4.3.0 Try again later"
    make_reservation()

    run_jobs()

    [row] = outbox()
    assert row.status == OutboxMessage.QUEUED
    assert row.attempts == 1
    assert "451" in row.last_error
    assert row.next_attempt_at > utcnow()
    # Not yet due: a run before then leaves it alone.
    run_jobs()
    assert len(smtp.refused) == 1

    smtp.reply_to_data = None
    make_due_now(time_machine)
    run_jobs()
    run_jobs()

    [delivery] = smtp.received
    [row] = outbox()
    assert row.status == OutboxMessage.SENT
    assert row.attempts == 1
    assert delivery.message["Message-ID"] == row.message_id
    assert smtp.refused[0].message["Message-ID"] == row.message_id


def test_a_message_refused_max_attempts_times_is_marked_failed(
    make_reservation, time_machine, run_jobs, smtp
):
    smtp.reply_to_data = "451 4.3.0 Try again later"
    make_reservation()

    delays = []
    for _ in range(MAX_ATTEMPTS):
        make_due_now(time_machine)
        run_jobs()
        [row] = outbox()
        delays.append(row.next_attempt_at - utcnow())

    assert row.status == OutboxMessage.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert len(smtp.refused) == MAX_ATTEMPTS
    assert all(a < b for a, b in itertools.pairwise(delays)), "each retry waits longer"

    smtp.reply_to_data = None
    make_due_now(time_machine)
    run_jobs()
    assert smtp.received == []
    assert outbox()[0].status == OutboxMessage.FAILED


@pytest.mark.parametrize(
    "reply", [None, "421 4.3.2 Service shutting down"], ids=["hangs-up", "421-then-hangs-up"]
)
def test_a_message_the_server_hangs_up_on_is_retried_alone_and_the_rest_go_out(
    make_reservation, time_machine, run_jobs, smtp, reply
):
    # As a server does whose size limit or content filter the message trips.
    smtp.hang_up_on = "trouble@example.com"
    smtp.hang_up_reply = reply
    for guest in ("trouble", "second", "third"):
        make_reservation(email=f"{guest}@example.com")

    run_jobs()

    rows = {row.recipients[0]: row for row in outbox()}
    trouble = rows.pop("trouble@example.com")
    assert trouble.status == OutboxMessage.QUEUED
    assert trouble.attempts == 1
    assert trouble.next_attempt_at > utcnow()
    # The rest of the batch was not tried: it waits for the next run, no attempt counted.
    assert [(row.status, row.attempts) for row in rows.values()] == [(OutboxMessage.QUEUED, 0)] * 2
    assert smtp.received == []

    run_jobs()

    assert sorted(d.message["To"] for d in smtp.received) == [
        "second@example.com",
        "third@example.com",
    ]
    assert len(smtp.hung_up) == 1

    for _ in range(MAX_ATTEMPTS - 1):
        make_due_now(time_machine)
        run_jobs()

    [trouble] = outbox(status=OutboxMessage.FAILED)
    assert trouble.attempts == MAX_ATTEMPTS
    assert len(smtp.hung_up) == MAX_ATTEMPTS
    assert len(smtp.received) == 2
    assert len(outbox(status=OutboxMessage.SENT)) == 2


class SilentServer:
    """Accepts connections and never says a word; hangs up after `patience` seconds."""

    def __init__(self, port: int, patience: float = 15):
        self.listener = socket.create_server(("127.0.0.1", port))
        self.patience = patience
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connections = []
        self.listener.settimeout(0.1)
        deadline = time.monotonic() + self.patience
        while not self.stopped.is_set() and time.monotonic() < deadline:
            try:
                connections.append(self.listener.accept()[0])
            except TimeoutError:
                continue
        for connection in connections:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def silent_server(smtp_port):
    server = SilentServer(smtp_port)
    yield server
    server.stop()


def test_a_server_that_never_answers_times_out_and_the_mail_stays_queued(
    make_reservation, run_jobs, silent_server
):
    make_reservation()

    started = time.monotonic()
    output = run_jobs()
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"jobs run took {elapsed:.1f}s with MAIL_TIMEOUT_SECONDS=1"
    assert "mail server unavailable" in output
    [row] = outbox()
    assert row.status == OutboxMessage.QUEUED
    assert row.attempts == 0


@pytest.mark.parametrize("reply", ["550 5.1.1 No such mailbox", "554 5.7.1 Rejected as spam"])
def test_a_permanent_refusal_is_marked_failed_at_once(make_reservation, run_jobs, smtp, reply):
    smtp.reply_to_data = reply
    make_reservation()
    run_jobs()
    [row] = outbox()
    assert row.status == OutboxMessage.FAILED
    assert row.attempts == 1
    assert reply[:3] in row.last_error


def test_a_malformed_message_fails_alone_and_the_rest_go_out(make_reservation, run_jobs, smtp):
    make_reservation(email="first@example.com")
    make_reservation(email="second@example.com")
    # A line break in a subject is refused by the mail library before any SMTP exchange.
    with write_transaction() as session:
        first = session.get(OutboxMessage, 1)
        first.subject = "Broken\r\nBcc: someone@example.com"
    run_jobs()
    rows = {row.recipients[0]: row for row in outbox()}
    assert rows["first@example.com"].status == OutboxMessage.FAILED
    assert rows["second@example.com"].status == OutboxMessage.SENT
    assert [m["To"] for m in (d.message for d in smtp.received)] == ["second@example.com"]
