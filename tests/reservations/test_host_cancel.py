"""The host cancels any stay from the command line: nights freed, the guest told."""

from innkeeper.extensions import db
from innkeeper.properties.models import BookingMode
from innkeeper.reservations.models import CancelledBy, ReservationStatus
from tests.helpers import count_rows, database_snapshot, outbox


def test_reservation_cancel_frees_the_nights_and_mails_the_guest(
    runner, make_reservation, book, future
):
    reservation = make_reservation(check_in=future(10), check_out=future(13))
    result = runner.invoke(args=["reservation", "cancel", reservation.code.lower()])
    assert result.exit_code == 0, result.output
    assert f"Cancelled {reservation.code}" in result.output

    db.session.refresh(reservation)
    assert reservation.status is ReservationStatus.CANCELLED
    assert reservation.cancelled_by is CancelledBy.HOST
    assert count_rows("night") == 0
    [mail] = outbox(kind="cancellation")
    assert mail.recipients == [reservation.guest_email]
    assert "Your host has cancelled this reservation" in mail.text_body
    assert book(reservation.property, future(10), future(13)).status_code == 303


def test_a_host_may_cancel_a_stay_that_has_begun(runner, make_reservation, future):
    # Booked a while ago; the guest is in the house now (its check-in day has come).
    reservation = make_reservation(check_in=future(0), check_out=future(5))
    result = runner.invoke(args=["reservation", "cancel", reservation.code])
    assert result.exit_code == 0, result.output
    db.session.refresh(reservation)
    assert reservation.status is ReservationStatus.CANCELLED


def test_cancelling_twice_changes_nothing_the_second_time(runner, make_reservation):
    reservation = make_reservation()
    runner.invoke(args=["reservation", "cancel", reservation.code])
    result = runner.invoke(args=["reservation", "cancel", reservation.code])
    assert result.exit_code == 0
    assert "already cancelled" in result.output
    assert len(outbox(kind="cancellation")) == 1


def test_an_unknown_code_is_an_error(runner):
    result = runner.invoke(args=["reservation", "cancel", "NOPE-NOPE"])
    assert result.exit_code == 1
    assert "There is no reservation NOPE-NOPE" in result.output


def test_a_request_is_declined_not_cancelled_from_the_command_line(
    runner, make_property, make_reservation
):
    request = make_reservation(make_property(booking_mode=BookingMode.REQUEST))
    before = database_snapshot()
    result = runner.invoke(args=["reservation", "cancel", request.code])
    assert result.exit_code == 1
    assert "decline it instead" in result.output
    assert database_snapshot() == before
