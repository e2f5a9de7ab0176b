"""One submit, one booking: the booking form carries a one-time key. A double click, the
same form sent again after Back, or a retried request answers with the reservation the
first one made, and nothing is booked or mailed twice."""

import pytest

from tests.helpers import (
    HX,
    booked,
    booking_form,
    cancel_form,
    count_rows,
    csrf_token_from,
    hidden_value,
    outbox,
    reservations,
)


def booking_page_form(client, prop, check_in, check_out, **fields) -> dict:
    """The booking form as the property page holds it, filled in by the guest."""
    page = client.get(f"/properties/{prop.slug}").get_data(as_text=True)
    return booking_form(
        check_in,
        check_out,
        csrf_token=csrf_token_from(page),
        submission_key=hidden_value(page, "submission_key"),
        **fields,
    )


def send(client, prop, form, **kwargs):
    return client.post(f"/properties/{prop.slug}/reservations", data=form, **kwargs)


def test_each_showing_of_the_page_has_a_key_of_its_own(client, make_property):
    prop = make_property()
    pages = [client.get(f"/properties/{prop.slug}").get_data(as_text=True) for _ in range(2)]
    first, second = (hidden_value(page, "submission_key") for page in pages)
    assert first != second
    assert len(first) >= 32


def test_the_same_form_sent_again_answers_with_the_same_reservation(client, make_property, future):
    prop = make_property()
    form = booking_page_form(client, prop, future(10), future(13))

    first = booked(send(client, prop, form))
    # Back, then Reserve again; or the browser retrying the request.
    again = booked(send(client, prop, form))

    assert again == first
    assert client.get(again.page).status_code == 200
    [reservation] = reservations()
    assert reservation.code == first.code
    assert len(outbox(kind="confirmation")) == 1
    assert count_rows("night") == 3


def test_the_same_form_sent_again_by_htmx_is_sent_to_the_same_page(client, make_property, future):
    prop = make_property()
    form = booking_page_form(client, prop, future(10), future(13))
    first = send(client, prop, form, headers=HX)
    again = send(client, prop, form, headers=HX)
    assert first.status_code == again.status_code == 200
    assert first.headers["HX-Redirect"] == again.headers["HX-Redirect"]
    assert count_rows("reservation") == 1


def test_a_form_sent_back_for_correction_keeps_its_key(client, make_property, future):
    prop = make_property()
    form = booking_page_form(client, prop, future(10), future(13))
    key = form["submission_key"]

    page = send(client, prop, {**form, "email": "not an address"})
    fragment = send(client, prop, {**form, "email": "not an address"}, headers=HX)

    assert page.status_code == fragment.status_code == 422
    for answer in (page, fragment):
        assert hidden_value(answer.get_data(as_text=True), "submission_key") == key
    # Corrected and sent: it books, once.
    link = booked(send(client, prop, form))
    assert booked(send(client, prop, form)) == link


def test_another_showing_of_the_page_books_again(client, make_property, future):
    prop = make_property()
    first = booking_page_form(client, prop, future(10), future(13))
    second = booking_page_form(client, prop, future(20), future(23))
    assert booked(send(client, prop, first)) != booked(send(client, prop, second))
    assert count_rows("reservation") == 2


def test_the_same_stay_from_the_page_shown_anew_answers_with_the_same_reservation(
    client, make_property, future
):
    """Back may fetch the page again, with a new key: this browser's session remembers the
    stays it booked, so the same stay for the same guest is the same booking."""
    prop = make_property()
    first = booked(send(client, prop, booking_page_form(client, prop, future(10), future(13))))
    again = booking_page_form(client, prop, future(10), future(13), email="ADA@example.com")
    assert booked(send(client, prop, again)) == first
    assert count_rows("reservation") == 1
    assert len(outbox(kind="confirmation")) == 1

    # Another guest's address, or another browser, is another booking: the nights are taken.
    other = booking_page_form(client, prop, future(10), future(13), email="grace@example.com")
    assert send(client, prop, other).status_code == 409
    stranger = client.application.test_client()
    assert (
        send(stranger, prop, booking_page_form(stranger, prop, future(10), future(13))).status_code
        == 409
    )


def test_the_same_stay_after_cancelling_it_is_booked_anew(client, make_property, future):
    prop = make_property()
    first = booked(send(client, prop, booking_page_form(client, prop, future(10), future(13))))
    client.post(first.cancel_url, data=cancel_form(client, first))
    second = booked(send(client, prop, booking_page_form(client, prop, future(10), future(13))))
    assert second != first
    assert [r.status.value for r in reservations()] == ["cancelled", "confirmed"]


def test_a_form_without_a_key_still_books_as_scripts_send_it(client, make_property, future):
    prop = make_property()
    page = client.get(f"/properties/{prop.slug}").get_data(as_text=True)
    form = booking_form(future(10), future(13), csrf_token=csrf_token_from(page))

    assert send(client, prop, form).status_code == 303
    # Without a key, the same form again is a second booking of the same nights.
    assert send(client, prop, form).status_code == 409
    assert count_rows("reservation") == 1
    assert count_rows("form_submission") == 0


@pytest.fixture
def app_overrides():
    return {"BOOKING_RATE_LIMIT": "2 per hour", "RATELIMIT_STORAGE_URI": "database://"}


GUEST = {"REMOTE_ADDR": "203.0.113.7"}


def test_the_same_form_sent_again_does_not_count_against_the_guests_limit(
    client, make_property, future
):
    prop = make_property()
    form = booking_page_form(client, prop, future(10), future(13))
    for _ in range(3):
        assert send(client, prop, form, environ_base=GUEST).status_code == 303
    # A second booking is still within the limit of two; a third is not.
    other = booking_page_form(client, prop, future(20), future(23))
    assert send(client, prop, other, environ_base=GUEST).status_code == 303
    third = booking_page_form(client, prop, future(30), future(33))
    assert send(client, prop, third, environ_base=GUEST).status_code == 429
    assert len(reservations()) == 2
