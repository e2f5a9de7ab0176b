"""One reminder per confirmed stay, from REMINDER_DAYS days before check-in."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import outbox

REMINDER_DAYS = 3


@pytest.fixture
def app_overrides(app_overrides) -> dict:
    return {**app_overrides, "REMINDER_DAYS": REMINDER_DAYS}


def reminders(smtp) -> list:
    return [d.message for d in smtp.received if d.message["Subject"].startswith("See you soon")]


def test_first_run_reminds_every_stay_within_reminder_days_and_no_other(
    make_property, future, make_reservation, run_jobs, smtp
):
    prop = make_property()
    codes = {}
    for offset in (0, 1, REMINDER_DAYS, REMINDER_DAYS + 1, REMINDER_DAYS + 5):
        # One-night stays on the same property never touch one another.
        guest = f"guest{offset}@example.com"
        codes[guest] = make_reservation(prop, future(offset), future(offset + 1), email=guest).code

    run_jobs()

    reminded = {message["To"]: message["Subject"] for message in reminders(smtp)}
    due = [f"guest{offset}@example.com" for offset in (0, 1, REMINDER_DAYS)]
    assert sorted(reminded) == sorted(due)
    for guest, subject in reminded.items():
        assert codes[guest] in subject


@pytest.mark.time_machine(datetime(2031, 3, 3, 8, 0, tzinfo=UTC))
def test_reminder_is_sent_by_the_first_run_on_its_day(
    time_machine, future, make_reservation, run_jobs, smtp
):
    stay = make_reservation(check_in=future(REMINDER_DAYS + 1), check_out=future(REMINDER_DAYS + 3))
    run_jobs()
    assert reminders(smtp) == []

    # A day later the stay is REMINDER_DAYS days away.
    time_machine.shift(timedelta(days=1))
    run_jobs()

    [reminder] = reminders(smtp)
    assert stay.code in reminder["Subject"]


def test_reminder_is_sent_once_over_repeated_runs(future, make_reservation, run_jobs, smtp):
    stay = make_reservation(check_in=future(2), check_out=future(4))
    for _ in range(3):
        run_jobs()

    [reminder] = reminders(smtp)
    assert stay.code in reminder["Subject"]
    assert [row.kind for row in outbox()] == ["confirmation", "reminder"]


def test_no_reminder_for_a_cancelled_stay(future, make_reservation, cancel, run_jobs, smtp):
    cancel(make_reservation(check_in=future(2), check_out=future(4)))
    run_jobs()
    run_jobs()

    assert reminders(smtp) == []
    assert [row.kind for row in outbox()] == ["confirmation", "cancellation"]


def test_cancelling_withdraws_a_reminder_the_server_was_not_up_to_take(
    future, make_reservation, cancel, run_jobs, smtp_server
):
    stay = make_reservation(check_in=future(2), check_out=future(4))
    run_jobs()
    assert [row.kind for row in outbox(status="queued")] == ["confirmation", "reminder"]

    cancel(stay)
    smtp_server.start()
    run_jobs()

    assert reminders(smtp_server) == []
    assert [d.message["Subject"] for d in smtp_server.received] == [
        f"Your stay at Place 1 is booked: {stay.code}",
        f"Your reservation {stay.code} is cancelled",
    ]
