"""The place's arrival instructions PRE_ARRIVAL_DAYS before check-in, and a thank-you the day
after check-out: each once per confirmed stay, on the place's own date."""

from datetime import UTC, datetime, timedelta

import pytest

from innkeeper.clock import today_in
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import outbox, two_workers_at_once

PRE_ARRIVAL_DAYS = 2
INSTRUCTIONS = "The key is in the box by the gate: code 4512."
# Cancún is five hours behind UTC all year: at 03:00 UTC it is still the day before there.
CANCUN = "America/Cancun"


@pytest.fixture
def app_overrides(app_overrides) -> dict:
    return {**app_overrides, "PRE_ARRIVAL_DAYS": PRE_ARRIVAL_DAYS}


@pytest.fixture
def place(make_property):
    return make_property(timezone=CANCUN, arrival_instructions=INSTRUCTIONS)


def subjects(smtp, start: str) -> list[str]:
    return [d.message["Subject"] for d in smtp.received if d.message["Subject"].startswith(start)]


@pytest.mark.time_machine(datetime(2031, 3, 3, 3, 0, tzinfo=UTC), tick=False)
def test_arrival_instructions_go_out_once_on_their_day_in_the_places_timezone(
    time_machine, place, make_reservation, run_jobs, smtp
):
    # 2 March in Cancún: the stay of 5 March is three days away.
    stay = make_reservation(place, today_in(CANCUN) + timedelta(days=3))
    run_jobs()
    assert subjects(smtp, "How to get in") == []

    time_machine.shift(timedelta(hours=3))  # 06:00 UTC, 3 March in Cancún
    run_jobs()
    run_jobs()

    [message] = [d.message for d in smtp.received if d.message["Subject"].startswith("How to")]
    assert message["Subject"] == f"How to get in at {place.name}: {stay.code}"
    assert message["To"] == "ada@example.com"
    assert INSTRUCTIONS in message.get_body(("plain",)).get_content()
    assert INSTRUCTIONS in message.get_body(("html",)).get_content()


@pytest.mark.time_machine(datetime(2031, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_a_stay_booked_late_gets_its_instructions_at_once_and_none_after_check_in(
    time_machine, place, make_property, make_reservation, run_jobs, smtp
):
    tomorrow = make_reservation(place, today_in(CANCUN) + timedelta(days=1))
    run_jobs()
    assert subjects(smtp, "How to get in") == [f"How to get in at {place.name}: {tomorrow.code}"]

    # Booked for today, then the worker is down until the day after check-in.
    other = make_property(timezone=CANCUN, arrival_instructions=INSTRUCTIONS)
    today = make_reservation(other, today_in(CANCUN))
    time_machine.shift(timedelta(days=1))
    run_jobs()
    assert today.id not in [m.reservation_id for m in outbox(kind="pre_arrival")]


def test_no_arrival_mail_for_a_place_without_instructions_or_a_cancelled_stay(
    make_property, place, make_reservation, future, run_jobs, smtp
):
    make_reservation(make_property(), future(1))
    cancel(make_reservation(place, future(1)), CancelledBy.GUEST)
    run_jobs()
    assert outbox(kind="pre_arrival") == []


def test_cancelling_withdraws_arrival_instructions_still_queued(
    place, make_reservation, future, run_jobs, smtp_server
):
    stay = make_reservation(place, future(1))
    run_jobs()  # the mail server is down: the instructions wait in the outbox
    assert [m.kind for m in outbox(status="queued")] == ["confirmation", "reminder", "pre_arrival"]

    cancel(stay, CancelledBy.GUEST)
    smtp_server.start()
    run_jobs()

    assert [d.message["Subject"] for d in smtp_server.received] == [
        f"Your stay at {place.name} is booked: {stay.code}",
        f"Your reservation {stay.code} is cancelled",
    ]
    assert outbox(kind="pre_arrival") == []


@pytest.mark.time_machine(datetime(2031, 3, 10, 12, 0, tzinfo=UTC), tick=False)
def test_the_guest_is_thanked_once_the_day_after_check_out_in_the_places_timezone(
    time_machine, place, make_reservation, run_jobs, smtp
):
    stay = make_reservation(place, today_in(CANCUN) + timedelta(days=2))  # 12 to 14 March
    # Check-out day, 23:00 in Cancún (04:00 UTC on the 15th): not yet.
    time_machine.move_to(datetime(2031, 3, 15, 4, 0, tzinfo=UTC), tick=False)
    run_jobs()
    assert subjects(smtp, "Thank you") == []

    time_machine.shift(timedelta(hours=2))  # the 15th in Cancún
    run_jobs()
    run_jobs()

    [thanks] = [d.message for d in smtp.received if d.message["Subject"].startswith("Thank you")]
    assert thanks["Subject"] == f"Thank you for staying at {place.name}"
    text = thanks.get_body(("plain",)).get_content()
    assert f"http://innkeeper.test/properties/{place.slug}" in text
    assert f"/reservations/{stay.code}?token={stay.guest_token()}" in text


@pytest.mark.time_machine(datetime(2031, 3, 10, 12, 0, tzinfo=UTC), tick=False)
def test_no_thank_you_for_a_cancelled_stay_nor_long_after_the_stay(
    time_machine, place, make_reservation, run_jobs, smtp
):
    first = today_in(CANCUN) + timedelta(days=2)
    cancel(make_reservation(place, first), CancelledBy.GUEST)
    make_reservation(place, first + timedelta(days=5))  # 17 to 19 March
    # The worker comes back a month later.
    time_machine.move_to(datetime(2031, 4, 20, 12, 0, tzinfo=UTC), tick=False)
    run_jobs()
    assert outbox(kind="thank_you") == []


def test_two_workers_at_once_send_each_mail_once(
    app_config, time_machine, place, make_reservation, future
):
    arriving = make_reservation(place, today_in(CANCUN) + timedelta(days=1))
    # A stay that ended yesterday, by the real clock the workers run on.
    time_machine.move_to(datetime.now(UTC) - timedelta(days=4))
    left = make_reservation(place, today_in(CANCUN) + timedelta(days=1))
    time_machine.move_to(datetime.now(UTC) + timedelta(days=4), tick=True)

    two_workers_at_once(app_config)

    assert [m.reservation_id for m in outbox(kind="pre_arrival")] == [arriving.id]
    assert [m.reservation_id for m in outbox(kind="thank_you")] == [left.id]
