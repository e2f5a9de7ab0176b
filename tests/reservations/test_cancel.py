"""Cancelling: a double click cancels once, a lock held elsewhere answers 503."""

import threading

import psycopg
import pytest
from sqlalchemy import select

from innkeeper.database import PROPERTY_LOCK_NAMESPACE
from innkeeper.extensions import db
from innkeeper.mail.models import OutboxMessage
from innkeeper.reservations import services
from innkeeper.reservations.models import CancelledBy
from tests.helpers import GuestLink, cancel_form


def cancellation_mails() -> int:
    db.session.rollback()
    return len(db.session.scalars(select(OutboxMessage).filter_by(kind="cancellation")).all())


def test_two_cancels_at_once_cancel_and_mail_once(app, make_reservation):
    link = GuestLink.of(make_reservation())
    together = threading.Barrier(2)
    errors = []

    def cancel():
        with app.app_context():
            try:
                together.wait()
                services.cancel(services.find_for_guest(link.code, link.token), CancelledBy.GUEST)
            except Exception as error:  # reported below, with the thread's traceback lost
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert cancellation_mails() == 1


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
def test_a_cancel_that_waits_too_long_for_the_property_lock_gets_503(
    app, client, make_reservation, database_url
):
    reservation = make_reservation()
    link = GuestLink.of(reservation)
    form = cancel_form(client, link)
    app.config["BOOKING_LOCK_TIMEOUT_MS"] = 300
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as holder:
        holder.execute(
            "SELECT pg_advisory_lock(%s::int, %s::int)",
            (PROPERTY_LOCK_NAMESPACE, reservation.property_id),
        )
        response = client.post(link.cancel_url, data=form)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert cancellation_mails() == 0
    assert client.post(link.cancel_url, data=form).status_code == 303
    assert cancellation_mails() == 1
