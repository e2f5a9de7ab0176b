"""Two workers at once: a message another worker has taken over goes out once."""

import asyncio
from datetime import UTC, datetime

import pytest

from innkeeper.mail.models import OutboxMessage
from innkeeper.mail.outbox import STALE_CLAIM, send_due
from tests.helpers import outbox

GUESTS = ["first@example.com", "second@example.com", "third@example.com", "fourth@example.com"]


# The clock stands still but for the server's slowness below: every instant is exact.
@pytest.mark.time_machine(datetime(2031, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_a_slow_batch_taken_over_by_a_second_worker_sends_each_message_once(
    app, time_machine, make_reservation, run_jobs, smtp
):
    for guest in GUESTS:
        make_reservation(email=guest)
    # The server takes four minutes over each message, on the clock both workers read:
    # by the third, the first worker's claim on the fourth is older than STALE_CLAIM.
    per_message = STALE_CLAIM * 2 / 5
    received = 0
    second_worker = []

    def run_second_worker():
        with app.app_context():
            second_worker.append(send_due())

    async def slowly(delivery):
        nonlocal received
        received += 1
        time_machine.shift(per_message)
        if received == 3:
            # While the first worker waits for the answer to the third, a second one runs.
            await asyncio.to_thread(run_second_worker)

    smtp.while_receiving = slowly

    run_jobs()

    assert sorted(d.rcpt_tos[0] for d in smtp.received) == sorted(GUESTS)
    assert [row.status for row in outbox()] == [OutboxMessage.SENT] * len(GUESTS)
    [second_report] = second_worker
    assert second_report.sent == 1, "the second worker took the fourth message over"
