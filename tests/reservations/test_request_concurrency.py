"""At once, on gunicorn with several workers: one booking form sent many times, and
requests racing phone bookings and blocks for the same nights."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from innkeeper.availability.models import Night
from innkeeper.extensions import db
from innkeeper.properties.models import BookingMode
from tests.helpers import (
    booking_form,
    count_rows,
    csrf_token_from,
    hidden_value,
    outbox,
    reservations,
)
from tests.reservations.test_concurrency import Browser

WORKERS = 4


def release_together(attempts: list) -> list:
    """Run each prepared attempt in a thread of its own, every one released at once."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        barrier.wait(timeout=30)
        return attempt()

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(run, attempts))


def test_one_form_sent_many_times_at_once_books_once_and_mails_once(
    start_server, make_property, future
):
    prop = make_property(slug="cabin")
    server = start_server(workers=WORKERS)
    guest = Browser(server.url)
    page = guest.request("/properties/cabin")
    form = booking_form(
        future(30),
        future(33),
        csrf_token=csrf_token_from(page.body),
        submission_key=hidden_value(page.body, "submission_key"),
    )

    answers = release_together([lambda: guest.request("/properties/cabin/reservations", form)] * 6)

    assert [a.status for a in answers] == [303] * 6
    assert len({a.headers["Location"] for a in answers}) == 1
    [reservation] = reservations(property_id=prop.id)
    assert answers[0].code == reservation.code
    assert len(outbox(kind="confirmation")) == 1
    assert count_rows("night") == 3


def signed_in(url: str, auth) -> Browser:
    host = Browser(url)
    token = csrf_token_from(host.request("/host/login").body)
    form = {"csrf_token": token, "email": auth.email, "password": auth.password}
    assert host.request("/host/login", form).status == 303
    return host


def test_requests_phone_bookings_and_blocks_of_the_same_nights_leave_one_owner(
    start_server, auth, make_property, future
):
    """A place that takes requests: guests ask, hosts book by phone and close nights, all
    on partly overlapping nights at once. One wins; every other gets 409."""
    prop = make_property(slug="cabin", booking_mode=BookingMode.REQUEST)
    server = start_server(workers=WORKERS)
    attempts = []
    for number in range(12):
        start, end = future(30 + number % 3), future(33 + number % 3)
        dates = {"check_in": start.isoformat(), "check_out": end.isoformat()}
        kind = number % 3
        if kind == 0:
            guest = Browser(server.url)
            page = guest.request("/properties/cabin").body
            form = booking_form(
                start,
                end,
                csrf_token=csrf_token_from(page),
                submission_key=hidden_value(page, "submission_key"),
                email=f"guest{number}@example.com",
            )
            attempts.append(lambda b=guest, f=form: b.request("/properties/cabin/reservations", f))
            continue
        host = signed_in(server.url, auth)
        page = host.request("/host/reservations/new").body
        if kind == 1:
            path = "/host/reservations"
            form = booking_form(
                start,
                end,
                csrf_token=csrf_token_from(page),
                submission_key=hidden_value(page, "submission_key"),
                property="cabin",
                email=f"caller{number}@example.com",
            )
        else:
            path = "/host/properties/cabin/blocks"
            form = {"csrf_token": csrf_token_from(page), "start": dates["check_in"]}
            form["end"] = dates["check_out"]
        attempts.append(lambda b=host, p=path, f=form: b.request(p, f))

    statuses = [answer.status for answer in release_together(attempts)]

    assert sorted(statuses) == [303] + [409] * 11, statuses
    db.session.rollback()
    owners = db.session.execute(
        select(Night.reservation_id, Night.block_id).filter_by(property_id=prop.id)
    ).all()
    assert len(owners) == 3
    assert len(set(owners)) == 1
    assert count_rows("reservation") + count_rows("block") == 1
