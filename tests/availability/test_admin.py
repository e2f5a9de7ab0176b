"""The host's calendar: who holds each night, closing and reopening nights."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.availability.models import Night
from innkeeper.availability.services import block_nights
from innkeeper.extensions import db
from tests.helpers import (
    blocks,
    calendar_availability,
    count_rows,
    csrf_token_from,
    month_of,
    quote_status,
)
from tests.reservations.test_concurrency import Browser


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def block_form(start, end, note=""):
    return {"start": start.isoformat(), "end": end.isoformat(), "note": note}


def test_closing_nights_makes_them_unavailable_to_guests(client, host, make_property, future):
    prop = make_property(slug="cabin")
    response = host.post(
        "/host/properties/cabin/blocks", block_form(future(10), future(13), "Paint")
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/host/calendar/cabin?month={month_of(future(10))}"
    assert [b[-3:] for b in blocks(prop)] == [(future(10), future(13), "Paint")]
    assert not calendar_availability(client, prop, future(12))
    assert calendar_availability(client, prop, future(13))
    assert quote_status(client, prop, future(11), future(12)) == 409
    feed = client.get("/properties/cabin/calendar.ics").get_data(as_text=True)
    assert f"DTSTART;VALUE=DATE:{future(10):%Y%m%d}" in feed


def test_closing_a_reserved_night_is_refused_with_409(
    client, host, make_property, make_reservation, future
):
    prop = make_property(slug="cabin")
    make_reservation(prop, future(10), future(12))
    response = host.post("/host/properties/cabin/blocks", block_form(future(11), future(14)))
    assert response.status_code == 409
    assert "already taken" in response.get_data(as_text=True)
    assert count_rows("block") == 0


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (12, 10, "Choose a day after the first night."),
        (-2, 3, "Past nights cannot be closed"),
        (10, 400, "Nights open up to"),
    ],
)
def test_an_impossible_range_is_refused_with_422(
    client, host, make_property, future, start, end, message
):
    make_property(slug="cabin")
    response = host.post("/host/properties/cabin/blocks", block_form(future(start), future(end)))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_rows("block") == 0


def test_a_malformed_date_is_refused_with_422(client, host, make_property):
    make_property(slug="cabin")
    response = host.post("/host/properties/cabin/blocks", {"start": "soon", "end": "2031-01-01"})
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.get_data(as_text=True)


def test_reopening_frees_the_nights_once(client, host, make_property, future):
    prop = make_property(slug="cabin")
    block = block_nights(prop, future(10), future(12))
    first = host.post(f"/host/blocks/{block.id}/delete")
    second = host.post(f"/host/blocks/{block.id}/delete")
    assert first.status_code == second.status_code == 303
    assert calendar_availability(client, prop, future(10))
    db.session.rollback()
    actions = db.session.scalars(select(Activity.action).order_by(Activity.id)).all()
    assert actions == ["block.created", "block.deleted"]


def test_an_unknown_or_huge_block_id_changes_nothing(client, host):
    assert host.post("/host/blocks/999/delete").status_code == 303
    assert host.post(f"/host/blocks/{2**40}/delete").status_code == 303


def test_the_month_shows_each_holder(client, auth, make_property, make_reservation, time_machine):
    time_machine.move_to("2031-03-01 12:00Z", tick=False)
    auth.login()
    prop = make_property(slug="cabin")
    make_reservation(prop, date(2031, 3, 4), date(2031, 3, 6), name="Grace Hopper")
    block_nights(prop, date(2031, 3, 8), date(2031, 3, 9), note="Plumber")
    html = client.get("/host/calendar/cabin?month=2031-03").get_data(as_text=True)
    assert 'class="stay" data-date="2031-03-05"' in html
    assert "Grace Hopper" in html
    assert 'class="block" data-date="2031-03-08"' in html
    assert "Plumber" in html
    assert 'class="open" data-date="2031-03-09"' in html
    assert 'class="past"' not in html


def test_choosing_two_days_fills_the_form(client, host, make_property, future):
    make_property(slug="cabin")
    start, end = future(10), future(12)
    html = client.get(
        f"/host/calendar/cabin?month={month_of(start)}&start={start}&end={end}"
    ).get_data(as_text=True)
    assert f'value="{start.isoformat()}"' in html
    assert f'value="{end.isoformat()}"' in html


def test_the_calendar_goes_to_the_first_place(client, host, make_property):
    make_property(slug="b-place", name="B")
    make_property(slug="a-place", name="A")
    response = client.get("/host/calendar")
    assert response.headers["Location"] == "/host/calendar/a-place"


def test_blocks_racing_bookings_leave_every_night_one_owner(
    start_server, auth, make_property, future
):
    """Host blocks and guest bookings on overlapping nights, released at once: one wins."""
    prop = make_property(slug="cabin")
    server = start_server(workers=4)
    windows = [(future(30 + n % 3), future(33 + n % 3)) for n in range(12)]
    barrier = threading.Barrier(len(windows))

    def attempt(number: int, start, end) -> int:
        browser = Browser(server.url)
        try:
            if number % 2:
                browser.open_property("cabin")
            else:
                page = browser.request("/host/login")
                browser.request(
                    "/host/login",
                    {
                        "csrf_token": csrf_token_from(page.body),
                        "email": auth.email,
                        "password": auth.password,
                    },
                )
                browser.csrf_token = csrf_token_from(browser.request("/host/").body)
            barrier.wait(timeout=30)
        except BaseException:
            barrier.abort()
            raise
        if number % 2:
            return browser.book("cabin", start, end, f"guest{number}@example.com").status
        form = {"csrf_token": browser.csrf_token, **block_form(start, end)}
        return browser.request("/host/properties/cabin/blocks", form).status

    with ThreadPoolExecutor(len(windows)) as pool:
        statuses = list(
            pool.map(lambda args: attempt(*args), [(n, *w) for n, w in enumerate(windows)])
        )

    assert sorted(statuses) == [303] + [409] * (len(windows) - 1)
    db.session.rollback()
    owners = db.session.execute(
        select(Night.reservation_id, Night.block_id).filter_by(property_id=prop.id)
    ).all()
    assert len(set(owners)) == 1
    assert len(owners) == 3
    assert count_rows("block") + count_rows("reservation") == 1
