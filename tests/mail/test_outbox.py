"""The outbox: written with the change it reports, or not at all; one Message-ID per row."""

import pytest
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.reservations.models import Reservation
from tests.helpers import count_rows, outbox


def test_booking_queues_its_confirmation_in_the_same_transaction(make_reservation):
    stay = make_reservation()

    [row] = outbox()
    assert row.kind == "confirmation"
    assert row.status == "queued"
    assert row.reservation_id == db.session.scalar(select(Reservation.id).filter_by(code=stay.code))


@pytest.mark.parametrize("app_check", [True, False], ids=["checked-first", "constraint"])
def test_booking_refused_for_taken_dates_writes_no_mail(
    app, make_property, future, book, app_check
):
    # Without the check up front the night table's key refuses the stay inside the transaction.
    app.config["BOOKING_APP_CHECK"] = app_check
    prop = make_property()
    assert book(prop, future(10), future(13)).status_code == 303

    assert book(prop, future(12), future(14), email="late@example.com").status_code == 409

    assert count_rows("reservation") == 1
    assert [row.recipients for row in outbox()] == [["ada@example.com"]]


@pytest.mark.parametrize(
    "nights, fields",
    [
        ((12, 10), {}),
        ((10, 12), {"guests": "9"}),
        ((10, 12), {"email": "not an address"}),
    ],
    ids=["dates-reversed", "too-many-guests", "bad-email"],
)
def test_invalid_booking_writes_no_mail(make_property, future, book, nights, fields):
    response = book(make_property(max_guests=4), future(nights[0]), future(nights[1]), **fields)

    assert response.status_code == 422
    assert count_rows("reservation") == 0
    assert count_rows("outbox_message") == 0


def test_every_message_carries_its_outbox_rows_message_id(
    runner, future, make_reservation, cancel, run_jobs, smtp
):
    result = runner.invoke(
        args=["host", "create", "owner@example.com", "--password-stdin"],
        input="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    cancel(make_reservation())
    make_reservation(check_in=future(20), check_out=future(22))

    run_jobs()

    rows = {row.message_id: row for row in outbox()}
    assert len(rows) == 6
    assert sorted(d.message["Message-ID"] for d in smtp.received) == sorted(rows)
    for delivery in smtp.received:
        row = rows[delivery.message["Message-ID"]]
        assert delivery.rcpt_tos == row.recipients
        assert delivery.message["Subject"] == row.subject
