"""Two workers at once: a message another worker has taken over goes out once."""

import asyncio
from datetime import timedelta

from innkeeper.clock import utcnow
from innkeeper.mail import outbox as outbox_module
from innkeeper.mail.models import OutboxMessage
from innkeeper.mail.outbox import STALE_CLAIM, send_due

from .conftest import outbox

GUESTS = ["first@example.com", "second@example.com", "third@example.com", "fourth@example.com"]


def test_a_slow_batch_taken_over_by_a_second_worker_sends_each_message_once(
    app, monkeypatch, make_property, future, reserve, run_jobs, smtp
):
    for guest in GUESTS:
        reserve(make_property(), future(10), future(12), email=guest)
    # The server takes four minutes over each message, on the clock both workers read:
    # by the third, the first worker's claim on the fourth is older than STALE_CLAIM.
    per_message = STALE_CLAIM * 2 / 5
    elapsed = timedelta()
    monkeypatch.setattr(outbox_module, "utcnow", lambda: utcnow() + elapsed)
    second_worker = []

    def run_second_worker():
        with app.app_context():
            second_worker.append(send_due())

    async def slowly(delivery):
        nonlocal elapsed
        elapsed += per_message
        if elapsed == 3 * per_message:
            # While the first worker waits for the answer to the third, a second one runs.
            await asyncio.to_thread(run_second_worker)

    smtp.while_receiving = slowly

    run_jobs()

    assert sorted(d.rcpt_tos[0] for d in smtp.received) == sorted(GUESTS)
    assert [row.status for row in outbox()] == [OutboxMessage.SENT] * len(GUESTS)
    [second_report] = second_worker
    assert second_report.sent == 1, "the second worker took the fourth message over"
