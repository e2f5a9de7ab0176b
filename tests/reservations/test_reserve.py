"""Booking through the HTTP form: success, refusals, and nothing stored half."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from innkeeper.availability.models import Night
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from tests.helpers import (
    GUEST_PAGE,
    GuestLink,
    booked,
    booking_form,
    cancel_form,
    count_rows,
    csrf_token_from,
    reservations,
)


def test_a_booking_redirects_303_to_the_guest_page(book, make_property, future, client):
    prop = make_property()
    response = book(prop, future(10), future(13), guests=3, phone="+1 555 0100", message="Hi!")
    link = booked(response)
    [reservation] = reservations()
    assert reservation.code == link.code
    assert reservation.token_matches(link.token)
    assert (reservation.check_in, reservation.check_out) == (future(10), future(13))
    assert reservation.guests == 3
    assert reservation.guest_phone == "+1 555 0100"
    assert reservation.guest_message == "Hi!"
    assert reservation.status == "confirmed"
    assert count_rows("night") == 3

    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert reservation.code in html
    assert f'data-total="{reservation.total}"' in html
    assert page.headers["Cache-Control"] == "no-store"


def test_the_price_is_frozen_when_booked(book, make_property, future):
    prop = make_property(nightly_rate_minor=10000, weekend_rate_minor=10000, cleaning_fee_minor=0)
    book(prop, future(10), future(12))
    with write_transaction():
        prop.nightly_rate_minor = 99900
    [reservation] = reservations()
    assert reservation.total_minor == 20000
    [nights] = reservation.quote.lines
    assert (nights.kind, nights.quantity, nights.unit.minor) == ("nights", 2, 10000)


def test_htmx_booking_gets_hx_redirect(book, make_property, future):
    response = book(make_property(), future(10), future(12), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert GUEST_PAGE.fullmatch(response.headers["HX-Redirect"])


def test_overlapping_stay_is_refused_with_409_and_nothing_stored(
    book, make_property, make_reservation, future
):
    prop = make_property()
    make_reservation(prop, future(10), future(14))
    response = book(prop, future(12), future(16), email="late@example.com")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "already taken" in html
    assert 'value="late@example.com"' in html
    assert len(reservations()) == 1
    assert count_rows("night") == 4
    assert count_rows("outbox_message") == 1


def test_check_out_day_can_be_the_next_check_in(book, make_property, future):
    prop = make_property()
    assert book(prop, future(10), future(12)).status_code == 303
    assert book(prop, future(12), future(14)).status_code == 303
    assert book(prop, future(8), future(10)).status_code == 303
    assert count_rows("night") == 6


def test_the_same_dates_at_another_property_are_free(book, make_property, future):
    assert book(make_property(), future(10), future(12)).status_code == 303
    assert book(make_property(), future(10), future(12)).status_code == 303


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"email": "not-an-address"}, "Enter an e-mail address like name@example.com."),
        ({"guests": "9"}, "This place sleeps 1 to 4 guests."),
        ({"guests": "lots"}, "Not a valid integer value."),
        ({"check_in": "2031-02-30"}, "Enter a date as YYYY-MM-DD."),
        ({"check_out": ""}, "Choose a check-out date."),
    ],
)
def test_invalid_input_answers_422_with_the_message_beside_the_field(
    book, make_property, future, fields, message
):
    stay = {"check_in": future(10), "check_out": future(12)}
    response = book(make_property(), **{**stay, **fields})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="errors"' in html
    assert reservations() == []
    assert count_rows("night") == 0
    assert count_rows("outbox_message") == 0


def test_a_422_form_shows_what_the_guest_typed(book, make_property, future):
    response = book(
        make_property(), future(10), future(12), guests=9, name="Zoë Ó'Brien", message="<b>x</b>"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="9"' in html
    assert "Zoë Ó&#39;Brien" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert f'value="{future(10).isoformat()}"' in html


def test_rules_are_judged_before_availability(book, make_property, make_reservation, future):
    prop = make_property(max_guests=2)
    make_reservation(prop, future(10), future(14), guests=2)
    assert book(prop, future(11), future(13), guests=5).status_code == 422


def test_past_and_too_far_stays_are_422(book, make_property, future):
    prop = make_property()
    assert book(prop, future(-1), future(2)).status_code == 422
    assert book(prop, future(365), future(366)).status_code == 303
    assert book(prop, future(366), future(367)).status_code == 422
    assert len(reservations()) == 1


def test_min_nights_is_enforced(book, make_property, future):
    prop = make_property(min_nights=3)
    response = book(prop, future(10), future(12))
    assert response.status_code == 422
    assert "at least 3 nights" in response.get_data(as_text=True)


def test_missing_or_bad_csrf_token_is_400_and_nothing_stored(client, make_property, future):
    prop = make_property()
    client.get(f"/properties/{prop.slug}")
    form = booking_form(future(10), future(12))
    url = f"/properties/{prop.slug}/reservations"
    assert client.post(url, data=form).status_code == 400
    assert client.post(url, data={**form, "csrf_token": "forged"}).status_code == 400
    assert reservations() == []


def test_csrf_token_may_travel_in_a_header(client, make_property, future):
    prop = make_property()
    token = csrf_token_from(client.get(f"/properties/{prop.slug}").get_data(as_text=True))
    response = client.post(
        f"/properties/{prop.slug}/reservations",
        data=booking_form(future(10), future(12)),
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "HX-Redirect" in response.headers


def test_unknown_or_unpublished_property_is_404(client, make_property, future):
    public = make_property()
    hidden = make_property(published=False)
    token = csrf_token_from(client.get(f"/properties/{public.slug}").get_data(as_text=True))
    form = booking_form(future(10), future(12), csrf_token=token)
    for slug in (hidden.slug, "no-such-place"):
        assert client.post(f"/properties/{slug}/reservations", data=form).status_code == 404
    assert client.get(f"/properties/{hidden.slug}").status_code == 404
    assert reservations() == []


def test_htmx_422_is_the_form_fragment(book, make_property, future):
    response = book(
        make_property(), future(10), future(12), name="", headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="booking"')


def test_reservation_codes_are_unique_and_readable(book, make_property, future):
    prop = make_property()
    for offset in range(0, 12, 2):
        assert book(prop, future(10 + offset), future(11 + offset)).status_code == 303
    codes = [r.code for r in reservations()]
    assert len(set(codes)) == 6
    assert all(re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code) for code in codes)


def test_the_night_table_refuses_a_second_owner(make_property, make_reservation, future):
    """The guard is in the database: inserting a taken night fails even without the app."""
    from sqlalchemy.exc import IntegrityError

    prop = make_property()
    reservation = make_reservation(prop, future(10), future(12))
    db.session.add(Night(property_id=prop.id, night=future(11), reservation_id=reservation.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert count_rows("night") == 2


def test_nights_are_freed_after_cancel_and_can_be_rebooked(
    book, make_property, make_reservation, future, client
):
    prop = make_property()
    link = GuestLink.of(make_reservation(prop, future(10), future(13)))
    response = client.post(link.cancel_url, data=cancel_form(client, link))
    assert response.status_code == 303
    assert response.headers["Location"] == link.page
    assert "Cancelled" in client.get(link.page).get_data(as_text=True)
    assert count_rows("night") == 0
    assert book(prop, future(11), future(12)).status_code == 303


def test_cancel_with_a_wrong_token_is_404_and_changes_nothing(make_reservation, future, client):
    link = GuestLink.of(make_reservation(check_in=future(10), check_out=future(13)))
    form = {**cancel_form(client, link), "token": "0" * 64}
    response = client.post(link.cancel_url, data=form)
    assert response.status_code == 404
    assert reservations()[0].status == "confirmed"
    assert count_rows("night") == 3


def test_cancel_twice_is_harmless(make_reservation, future, client):
    link = GuestLink.of(make_reservation(check_in=future(10), check_out=future(13)))
    form = cancel_form(client, link)
    for _ in range(2):
        assert client.post(link.cancel_url, data=form).status_code == 303
    assert count_rows("outbox_message") == 2  # one confirmation, one cancellation


def test_a_stay_that_has_begun_cannot_be_cancelled_by_the_guest(make_reservation, future, client):
    link = GuestLink.of(make_reservation(check_in=future(0), check_out=future(2)))
    response = client.post(link.cancel_url, data=cancel_form(client, link))
    assert response.status_code == 409
    assert reservations()[0].status == "confirmed"


def test_the_guest_page_needs_the_right_token(make_reservation, client):
    link = GuestLink.of(make_reservation())
    assert client.get(f"/reservations/{link.code}?token=wrong").status_code == 404
    assert client.get(f"/reservations/{link.code}").status_code == 404
    assert client.get(f"/reservations/AAAA-AAAA?token={link.token}").status_code == 404
    assert client.get(link.page).status_code == 200


def test_booking_after_rates_change_uses_new_rates(book, make_property, future):
    prop = make_property(nightly_rate_minor=10000, weekend_rate_minor=10000, cleaning_fee_minor=0)
    with write_transaction():
        prop.nightly_rate_minor = prop.weekend_rate_minor = 20000
    book(prop, future(10), future(11))
    assert reservations()[0].total_minor == 20000


@pytest.mark.parametrize(
    ("zone", "moment", "local_today"),
    [
        # 03:00 UTC on 4 March 2031 is still the afternoon of 3 March in Pago Pago (UTC-11).
        ("Pacific/Pago_Pago", datetime(2031, 3, 4, 3, 0, tzinfo=UTC), date(2031, 3, 3)),
        # 12:00 UTC on 3 March 2031 is already 02:00 on 4 March in Kiritimati (UTC+14).
        ("Pacific/Kiritimati", datetime(2031, 3, 3, 12, 0, tzinfo=UTC), date(2031, 3, 4)),
    ],
    ids=["behind-utc", "ahead-of-utc"],
)
def test_today_is_the_property_local_date_not_the_servers(
    book, make_property, time_machine, zone, moment, local_today
):
    time_machine.move_to(moment, tick=False)
    prop = make_property(timezone=zone)
    assert prop.local_today() == local_today != moment.date()
    one_night = timedelta(days=1)
    # Today where the property is may be yesterday in UTC: it can still be booked.
    assert book(prop, local_today, local_today + one_night).status_code == 303
    # Yesterday where the property is may be today in UTC: it is in the past all the same.
    response = book(prop, local_today - one_night, local_today)
    assert response.status_code == 422
    assert f"cannot be in the past (today here is {local_today})" in response.get_data(as_text=True)


def test_a_name_of_only_spaces_is_refused_and_details_are_trimmed(book, make_property, future):
    prop = make_property()
    response = book(prop, future(10), future(12), name="   ")
    assert response.status_code == 422
    assert "Enter your name." in response.get_data(as_text=True)
    assert (
        book(prop, future(10), future(12), name="  Ada  ", email=" ada@example.com ").status_code
        == 303
    )
    [reservation] = reservations()
    assert (reservation.guest_name, reservation.guest_email) == ("Ada", "ada@example.com")
