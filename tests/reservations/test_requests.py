"""Places that take requests: a guest's booking holds its nights until the host answers."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.properties.models import BookingMode
from innkeeper.reservations.models import ReservationStatus
from tests.helpers import (
    GuestLink,
    booked,
    calendar_availability,
    cancel_form,
    count_rows,
    csrf_token_from,
    database_snapshot,
    hidden_value,
    outbox,
    quote_status,
    redirect_target,
    reservations,
    taken,
)

# A fixed moment, so that deadlines are exact: requests made now expire a day later.
NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
DEADLINE = datetime(2031, 3, 4, 12, 0)
# As the guest and the host read it, in the place's timezone (CLDR puts a narrow no-break
# space before PM).
DEADLINE_TEXT = "Tuesday, March 4, 2031, 12:00\u202fPM (UTC)"


@pytest.fixture(autouse=True)
def fixed_time(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def place(make_property):
    return make_property(slug="fig-tree", name="Fig Tree Cabin", booking_mode=BookingMode.REQUEST)


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def ask(book, place, future, check_in=10, check_out=13, **fields) -> GuestLink:
    """A guest sends the booking form of the place: a request."""
    return booked(book(place, future(check_in), future(check_out), **fields))


def only_request():
    [reservation] = reservations()
    return reservation


def activity(action: str) -> list[Activity]:
    db.session.rollback()
    return list(db.session.scalars(select(Activity).filter_by(action=action)))


def test_the_booking_form_of_a_place_that_takes_requests_says_so(client, place):
    html = client.get("/properties/fig-tree").get_data(as_text=True)
    assert "Ask to stay" in html
    assert "The host answers each request" in html
    assert ">Send the request</button>" in html


def test_a_request_holds_its_nights_for_everyone_else(
    client, book, host, place, future, make_property
):
    link = ask(book, place, future)

    request = only_request()
    assert request.status is ReservationStatus.REQUESTED
    assert request.holds_nights
    assert request.request_expires_at == DEADLINE
    assert set(taken(place)) == {future(10), future(11), future(12)}
    # Taken for every other way in: a quote, a booking, a block, the calendar, the feed.
    assert quote_status(client, place, future(11), future(14)) == 409
    assert book(place, future(12), future(15), email="grace@example.com").status_code == 409
    block = {"start": future(9).isoformat(), "end": future(11).isoformat()}
    assert host.post("/host/properties/fig-tree/blocks", block).status_code == 409
    assert not calendar_availability(client, place, future(10))
    assert calendar_availability(client, place, future(13))
    feed = Calendar.from_ical(client.get("/properties/fig-tree/calendar.ics").get_data())
    assert [(e.start, e.end) for e in feed.walk("VEVENT")] == [(future(10), future(13))]
    assert count_rows("reservation") == 1

    page = client.get(link.page).get_data(as_text=True)
    assert "Waiting for the host's answer" in page
    assert f"The host answers by {DEADLINE_TEXT}" in page
    assert ">Withdraw this request…</button>" in page


def test_a_request_mails_the_guest_without_a_calendar_file_and_each_host_a_link(
    book, auth, place, future, runner
):
    runner.invoke(
        args=["host", "create", "cohost@example.com", "--password-stdin"],
        input="another long passphrase\n",
    )
    link = ask(book, place, future)

    [received] = outbox(kind="request_received")
    assert received.recipients == ["ada@example.com"]
    assert link.code in received.subject
    assert received.attachments == []
    assert "not confirmed yet" in received.text_body
    assert DEADLINE_TEXT in received.text_body
    assert f"http://innkeeper.test{link.page}" in received.text_body
    told = outbox(kind="host_new_request")
    assert sorted(m.recipients[0] for m in told) == ["cohost@example.com", "host@example.com"]
    for message in told:
        assert link.code in message.subject
        assert f"http://innkeeper.test/host/reservations/{link.code}" in message.text_body
    assert outbox(kind="confirmation") == []


def test_a_signed_out_host_follows_the_mail_link_to_the_login_then_to_the_request(
    client, book, auth, place, future
):
    link = ask(book, place, future)
    path = f"/host/reservations/{link.code}"

    response = client.get(path)
    assert response.status_code == 302
    assert redirect_target(response.headers["Location"]) == ("/host/login", [path])
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = csrf_token_from(login_page)
    signed_in = client.post(
        response.headers["Location"],
        data={"csrf_token": token, "email": auth.email, "password": auth.password},
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == path
    page = client.get(path).get_data(as_text=True)
    assert "This request waits for your answer" in page
    assert f'action="/host/reservations/{link.code}/accept"' in page
    assert f'href="/host/reservations/{link.code}/decline"' in page


def test_accepting_confirms_the_stay_and_sends_the_confirmation_once(
    client, book, host, place, future
):
    link = ask(book, place, future)

    response = host.post(f"/host/reservations/{link.code}/accept")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/host/reservations/{link.code}"
    request = only_request()
    assert request.status is ReservationStatus.CONFIRMED
    assert set(taken(place)) == {future(10), future(11), future(12)}
    [confirmation] = outbox(kind="confirmation")
    assert confirmation.recipients == ["ada@example.com"]
    assert link.code in confirmation.subject
    assert "Your host has accepted your request" in confirmation.text_body
    assert [a["content_type"] for a in confirmation.attachments] == ["text/calendar"]
    assert "Confirmed" in client.get(link.page).get_data(as_text=True)
    [accepted] = activity("reservation.accepted")
    assert (accepted.actor, accepted.subject) == (host.email, link.code)

    # Again (a double click): nothing changes, no second mail.
    before = database_snapshot()
    again = host.post(f"/host/reservations/{link.code}/accept")
    assert again.status_code == 303
    assert database_snapshot() == before
    assert len(outbox(kind="confirmation")) == 1


def test_declining_asks_first_then_frees_the_nights_and_mails_the_reason(
    client, book, host, place, future
):
    link = ask(book, place, future)
    form = client.get(f"/host/reservations/{link.code}/decline").get_data(as_text=True)
    assert "Decline request" in form
    assert 'name="reason"' in form

    response = host.post(
        f"/host/reservations/{link.code}/decline", {"reason": "We are closed for repairs."}
    )
    assert response.status_code == 303
    request = only_request()
    assert request.status is ReservationStatus.DECLINED
    assert taken(place) == {}
    assert quote_status(client, place, future(10), future(13)) == 200
    [declined] = outbox(kind="request_declined")
    assert declined.recipients == ["ada@example.com"]
    assert link.code in declined.subject
    assert "We are closed for repairs." in declined.text_body
    assert declined.attachments == []
    guest_page = client.get(link.page).get_data(as_text=True)
    assert "Declined by the host" in guest_page
    assert "We are closed for repairs." in guest_page
    [entry] = activity("reservation.declined")
    assert entry.changes == {"reason": [None, "We are closed for repairs."]}

    before = database_snapshot()
    assert host.post(f"/host/reservations/{link.code}/decline").status_code == 303
    assert database_snapshot() == before


def test_a_reason_too_long_is_refused_with_the_text_kept(book, host, place, future):
    link = ask(book, place, future)
    before = database_snapshot()
    response = host.post(f"/host/reservations/{link.code}/decline", {"reason": "x" * 1001})
    assert response.status_code == 422
    assert "x" * 1001 in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_declined_request_cannot_be_accepted(book, host, place, future):
    link = ask(book, place, future)
    host.post(f"/host/reservations/{link.code}/decline")
    before = database_snapshot()

    response = host.post(f"/host/reservations/{link.code}/accept")

    assert response.status_code == 409
    assert "This request was declined" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_request_past_its_time_cannot_be_accepted_even_before_the_worker_runs(
    client, book, host, place, future, fixed_time
):
    link = ask(book, place, future)
    fixed_time.move_to(DEADLINE.replace(tzinfo=UTC), tick=False)
    host.login()  # a day later: the host's earlier session has ended

    response = host.post(f"/host/reservations/{link.code}/accept")

    assert response.status_code == 409
    assert "not answered in time and has expired" in response.get_data(as_text=True)
    # It expired then and there: the nights are free and the guest and hosts are told.
    assert only_request().status is ReservationStatus.EXPIRED
    assert taken(place) == {}
    assert len(outbox(kind="request_expired")) == 1
    assert len(outbox(kind="host_request_expired")) == 1
    assert outbox(kind="confirmation") == []
    assert host.post(f"/host/reservations/{link.code}/decline").status_code == 409
    assert "Expired without an answer" in client.get(link.page).get_data(as_text=True)


def test_declining_a_confirmed_stay_is_409_it_is_a_cancellation(
    host, make_reservation, make_property
):
    stay = make_reservation(make_property())
    before = database_snapshot()
    response = host.post(f"/host/reservations/{stay.code}/decline", {"reason": "No."})
    assert response.status_code == 409
    assert "cancel it" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_host_answers_a_request_by_declining_not_cancelling(book, host, client, place, future):
    link = ask(book, place, future)
    path = f"/host/reservations/{link.code}"
    assert client.get(f"{path}/cancel").headers["Location"] == path
    before = database_snapshot()
    response = host.post(f"{path}/cancel", {"reason": "No."})
    assert response.status_code == 409
    assert "decline it instead" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_the_guest_may_withdraw_a_request(client, book, place, future):
    link = ask(book, place, future)

    response = client.post(link.cancel_url, data=cancel_form(client, link))

    assert response.status_code == 303
    assert only_request().status is ReservationStatus.CANCELLED
    assert taken(place) == {}
    [withdrawn] = outbox(kind="cancellation")
    assert "withdrawn" in withdrawn.subject
    assert "You have withdrawn your request" in withdrawn.text_body
    # Nothing was ever in the guest's calendar: no cancelling calendar file.
    assert withdrawn.attachments == []


def test_a_booking_by_phone_for_a_place_that_takes_requests_is_confirmed(host, place, future):
    page = host.client.get("/host/reservations/new").get_data(as_text=True)
    key = hidden_value(page, "submission_key")
    form = {
        "property": "fig-tree",
        "check_in": future(10).isoformat(),
        "check_out": future(12).isoformat(),
        "guests": "2",
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "submission_key": key,
    }
    assert host.post("/host/reservations", form).status_code == 303
    assert only_request().status is ReservationStatus.CONFIRMED
    assert len(outbox(kind="confirmation")) == 1


def test_the_host_pages_list_requests_to_answer_first_to_expire_first(
    client, book, host, place, future, fixed_time
):
    # The first arrives within the week, the second asks an hour later.
    first = ask(book, place, future, 3, 5)
    fixed_time.shift(timedelta(hours=1))
    second = ask(book, place, future, 20, 22, email="grace@example.com", name="Grace Hopper")

    listing = client.get("/host/reservations?show=requested").get_data(as_text=True)
    assert listing.index(first.code) < listing.index(second.code)
    assert "23 hours left" in listing
    assert "24 hours left" in listing
    tabs = client.get("/host/reservations").get_data(as_text=True)
    assert 'href="/host/reservations?show=requested">Requests</a>' in tabs
    # Requests are not stays to come yet.
    assert first.code not in client.get("/host/reservations?show=upcoming").get_data(as_text=True)

    dashboard = client.get("/host/").get_data(as_text=True)
    attention = dashboard.split('id="attention"')[1].split("</section>")[0]
    assert f"Request {first.code} from Ada Lovelace" in attention
    assert "23 hours left to answer" in attention
    assert "4 nights held for requests" in dashboard
    # A request is no arrival until it is accepted.
    assert "No arrivals in the next seven days." in dashboard

    calendar = client.get(f"/host/calendar/fig-tree?month={future(3):%Y-%m}")
    html = calendar.get_data(as_text=True)
    assert f'class="stay requested" data-date="{future(3).isoformat()}"' in html
    assert "Ada Lovelace (request)" in html


def test_a_place_switched_to_requests_takes_requests_from_then_on(
    client, book, host, make_property, future
):
    prop = make_property(slug="loft")
    assert book(prop, future(10), future(12)).status_code == 303
    assert host.post("/host/properties/loft", {"booking_mode": "request"}).status_code == 303
    book(prop, future(20), future(22), email="grace@example.com")
    assert [r.status for r in reservations()] == [
        ReservationStatus.CONFIRMED,
        ReservationStatus.REQUESTED,
    ]
