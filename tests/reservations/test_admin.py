"""The host's reservations: the list, its CSV, one stay, notes, cancelling, phone bookings."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.pricing.services import Stay
from innkeeper.reservations import services
from innkeeper.reservations.models import CancelledBy, ReservationStatus
from innkeeper.reservations.services import Guest, reserve
from tests.helpers import (
    HX,
    GuestLink,
    count_rows,
    csrf_token_from,
    database_snapshot,
    hidden_value,
    outbox,
    reservations,
)

CSV_HEADER = (
    "code,property,check_in,check_out,guests,name,email,phone,total,currency,status,created_at"
)


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def codes_in(html: str) -> list[str]:
    """The reservation codes the list shows, in its order."""
    return re.findall(r'href="/host/reservations/([A-Z0-9]{4}-[A-Z0-9]{4})"', html)


def page_of(client, query: str = "") -> str:
    response = client.get(f"/host/reservations{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def csv_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/host/reservations.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8"))))


# --- signed out -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["", ".csv", "/new", "/{code}", "/{code}/cancel"],
)
def test_every_page_sends_someone_signed_out_to_the_login(client, make_reservation, path):
    reservation = make_reservation()
    response = client.get("/host/reservations" + path.format(code=reservation.code))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/host/login")


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/{code}/cancel", {"reason": "No."}),
        ("/{code}/notes", {"notes": "Sneaky"}),
        ("", {"property": "{slug}", "check_in": "{day}", "check_out": "{later}", "guests": "2"}),
    ],
)
def test_a_post_from_someone_signed_out_changes_nothing(
    client, make_reservation, future, path, form
):
    reservation = make_reservation()
    values = {
        "code": reservation.code,
        "slug": reservation.property.slug,
        "day": future(40),
        "later": future(42),
    }
    # A real CSRF token of this browser's session: only the sign-in guard stands in the way.
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    data = {"csrf_token": token, "name": "Eve", "email": "eve@example.com"}
    data |= {name: value.format(**values) for name, value in form.items()}
    before = database_snapshot()
    response = client.post("/host/reservations" + path.format(**values), data=data)
    assert response.status_code == 302
    assert database_snapshot() == before


# --- the list -------------------------------------------------------------------------


def test_the_list_shows_every_stay_newest_first(
    client, host, make_property, make_reservation, future
):
    cabin, loft = make_property(name="Cabin"), make_property(name="Loft")
    early = make_reservation(cabin, check_in=future(5))
    late = make_reservation(loft, check_in=future(30))
    middle = make_reservation(cabin, check_in=future(12))
    services.cancel(middle, CancelledBy.GUEST)

    html = page_of(client)
    assert codes_in(html) == [late.code, middle.code, early.code]
    assert "Cabin" in html and "Loft" in html
    assert 'class="list reflow"' in html
    assert 'data-label="Check-in"' in html


def test_the_list_is_one_of_the_host_pages(client, host):
    html = client.get("/host/properties").get_data(as_text=True)
    assert 'href="/host/reservations"' in html


def test_tabs_split_stays_by_the_places_today(
    client, auth, make_property, make_reservation, time_machine
):
    time_machine.move_to(datetime(2031, 3, 1, 12, tzinfo=UTC), tick=False)
    prop = make_property()
    over = make_reservation(prop, date(2031, 3, 2), date(2031, 3, 3))
    in_house = make_reservation(prop, date(2031, 3, 3), date(2031, 3, 6))
    upcoming = make_reservation(prop, date(2031, 3, 10), date(2031, 3, 12))
    cancelled = make_reservation(prop, date(2031, 3, 20), date(2031, 3, 22))
    services.cancel(cancelled, CancelledBy.GUEST)
    time_machine.move_to(datetime(2031, 3, 4, 12, tzinfo=UTC), tick=False)
    auth.login()  # a sign-in of years ago has expired

    assert codes_in(page_of(client, "?show=upcoming")) == [upcoming.code]
    assert codes_in(page_of(client, "?show=in-house")) == [in_house.code]
    assert codes_in(page_of(client, "?show=past")) == [over.code]
    assert codes_in(page_of(client, "?show=cancelled")) == [cancelled.code]
    assert codes_in(page_of(client, "?status=confirmed")) == [
        upcoming.code,
        in_house.code,
        over.code,
    ]
    assert len(codes_in(page_of(client, "?show=nonsense"))) == 4


def test_in_the_house_is_judged_in_the_places_timezone(
    client, auth, make_property, make_reservation, time_machine
):
    time_machine.move_to(datetime(2031, 3, 8, 12, tzinfo=UTC), tick=False)
    far_east = make_property(timezone="Pacific/Kiritimati")  # UTC+14
    london = make_property(timezone="Europe/London")
    east_stay = make_reservation(far_east, date(2031, 3, 11), date(2031, 3, 13))
    london_stay = make_reservation(london, date(2031, 3, 11), date(2031, 3, 13))
    # 11:00 on 10 March in London is 01:00 on 11 March in Kiritimati.
    time_machine.move_to(datetime(2031, 3, 10, 11, tzinfo=UTC), tick=False)
    auth.login()

    assert codes_in(page_of(client, "?show=in-house")) == [east_stay.code]
    assert codes_in(page_of(client, "?show=upcoming")) == [london_stay.code]


def test_filter_by_place_and_status(client, host, make_property, make_reservation, future):
    cabin, loft = make_property(slug="cabin"), make_property(slug="loft")
    in_cabin = make_reservation(cabin)
    in_loft = make_reservation(loft)
    services.cancel(in_loft, CancelledBy.HOST)

    assert codes_in(page_of(client, "?property=cabin")) == [in_cabin.code]
    assert codes_in(page_of(client, "?property=loft&status=cancelled")) == [in_loft.code]
    assert codes_in(page_of(client, "?property=loft&status=confirmed")) == []
    assert codes_in(page_of(client, "?property=nowhere")) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ñandú", ["nandu"]),
        ("MARÍA", ["nandu"]),
        ("grace@EXAMPLE", ["grace"]),
        ("hopper", ["grace"]),
        ("100%", []),
        ("_", []),
    ],
)
def test_search_by_name_or_email_ignores_case(client, host, make_reservation, query, found):
    stays = {
        "nandu": make_reservation(name="María Ñandú", email="maria@example.com"),
        "grace": make_reservation(name="Grace Hopper", email="Grace@Example.com"),
    }
    assert codes_in(page_of(client, f"?q={query}")) == [stays[key].code for key in found]


def test_search_by_code_in_any_case(client, host, make_reservation):
    wanted, _other = make_reservation(), make_reservation()
    assert codes_in(page_of(client, f"?q={wanted.code.lower()}")) == [wanted.code]


def test_fifty_a_page_and_the_links_keep_the_filters(
    client, host, make_property, make_reservation, future
):
    prop = make_property(slug="cabin")
    stays = [make_reservation(prop, future(day), future(day + 1)) for day in range(1, 53)]
    newest_first = [stay.code for stay in reversed(stays)]

    first = page_of(client, "?property=cabin&q=ada")
    assert codes_in(first) == newest_first[:50]
    assert "Page 1 of 2" in first
    assert 'href="/host/reservations?property=cabin&amp;q=ada&amp;page=2"' in first
    second = page_of(client, "?property=cabin&q=ada&page=2")
    assert codes_in(second) == newest_first[50:]
    assert 'href="/host/reservations?property=cabin&amp;q=ada&amp;page=1"' in second
    # A page past the end shows the last; a page that is not a number, the first.
    assert codes_in(page_of(client, "?page=99999999999999999999")) == newest_first[50:]
    assert codes_in(page_of(client, "?page=abc")) == newest_first[:50]


def test_the_list_answers_htmx_with_a_fragment(client, host, make_reservation):
    reservation = make_reservation()
    html = client.get("/host/reservations", headers=HX).get_data(as_text=True)
    assert "<html" not in html
    assert reservation.code in html


# --- the CSV --------------------------------------------------------------------------


def test_the_csv_has_the_header_and_a_row_per_stay(
    client, host, make_property, make_reservation, future
):
    cabin = make_property(slug="cabin", currency="USD", nightly_rate_minor=10000)
    ryokan = make_property(slug="ryokan", currency="JPY", nightly_rate_minor=15000)
    dollars = make_reservation(
        cabin, future(5), future(7), name="Ada Lovelace", email="ada@example.com"
    )
    yen = make_reservation(ryokan, future(20), future(22), phone="03 1234 5678")

    header, *rows = csv_rows(client)
    assert ",".join(header) == CSV_HEADER
    assert [row[0] for row in rows] == [yen.code, dollars.code]
    code, slug, check_in, check_out, guests, name, email, phone, total, currency, status, made = (
        rows[1]
    )
    assert (code, slug, check_in, check_out, guests) == (
        dollars.code,
        "cabin",
        future(5).isoformat(),
        future(7).isoformat(),
        "2",
    )
    assert (name, email, phone, total, currency, status) == (
        "Ada Lovelace",
        "ada@example.com",
        "",
        str(dollars.total),
        "USD",
        "confirmed",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", made)
    assert re.fullmatch(r"\d+\.\d\d", total)
    assert rows[0][8] == str(yen.total) and "." not in rows[0][8]
    assert rows[0][7] == "03 1234 5678"


def test_the_csv_keeps_the_lists_filters_across_every_page(
    client, host, make_property, make_reservation, future
):
    prop = make_property()
    stays = [make_reservation(prop, future(day), future(day + 1)) for day in range(1, 53)]
    services.cancel(stays[0], CancelledBy.GUEST)
    assert len(csv_rows(client)) == 1 + 52
    cancelled = csv_rows(client, "?show=cancelled")
    assert [row[0] for row in cancelled[1:]] == [stays[0].code]
    assert cancelled[1][10] == "cancelled"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_csv_never_hands_a_spreadsheet_a_formula(client, host, make_reservation, start):
    make_reservation(name=f'{start}HYPERLINK("http://evil.test")', phone=f"{start}1 555 0100")
    [_, row] = csv_rows(client)
    assert row[5] == f'\'{start}HYPERLINK("http://evil.test")'
    assert row[7] == f"'{start}1 555 0100"


def test_the_csv_link_on_the_list_carries_the_filters(client, host, make_reservation):
    make_reservation()
    html = page_of(client, "?show=upcoming&q=ada")
    assert 'href="/host/reservations.csv?show=upcoming&amp;q=ada"' in html


# --- one stay -------------------------------------------------------------------------


def test_a_stay_shows_its_price_guest_mail_and_history(client, host, make_property, future):
    prop = make_property(name="Cabin")
    reservation = reserve(
        prop,
        Stay(future(10), future(12), 3),
        Guest("Ada Lovelace", "ada@example.com", "+44 20 7946 0000", "We bring a dog."),
    )
    host.post(f"/host/reservations/{reservation.code}/notes", {"notes": "Gate code 4711."})

    html = page_of(client, f"/{reservation.code.lower()}")
    assert f"Reservation {reservation.code}" in html
    assert f'data-total="{reservation.total}"' in html
    assert "Cleaning fee" in html
    assert "+44 20 7946 0000" in html and "We bring a dog." in html
    for message in outbox(reservation_id=reservation.id):
        assert f'href="/host/mail/{message.id}"' in html
        assert message.subject in html
    assert "changed the notes on" in html
    assert "Gate code 4711." in html
    assert f'href="/host/reservations/{reservation.code}/cancel"' in html


def test_an_unknown_code_is_404(client, host):
    assert client.get("/host/reservations/NOPE-NOPE").status_code == 404


def test_notes_are_kept_for_hosts_and_never_shown_to_the_guest(client, host, make_reservation):
    reservation = make_reservation()
    response = host.post(f"/host/reservations/{reservation.code}/notes", {"notes": "Likes tea."})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/host/reservations/{reservation.code}"
    assert reservations()[0].host_notes == "Likes tea."
    [entry] = db.session.scalars(select(Activity).filter_by(action="reservation.notes_changed"))
    assert (entry.actor, entry.reservation_id) == (host.email, reservation.id)

    guest_page = client.get(GuestLink.of(reservation).page).get_data(as_text=True)
    assert "Likes tea." not in guest_page
    assert all("Likes tea." not in m.text_body for m in outbox())


def test_notes_too_long_are_refused_with_the_text_kept(client, host, make_reservation):
    reservation = make_reservation()
    response = host.post(f"/host/reservations/{reservation.code}/notes", {"notes": "x" * 5001})
    assert response.status_code == 422
    assert "x" * 5001 in response.get_data(as_text=True)
    assert reservations()[0].host_notes == ""


# --- cancelling -----------------------------------------------------------------------


@pytest.fixture
def co_host(app):
    return create_host("cohost@example.com", "another long password")


def test_cancel_asks_first(client, host, make_reservation):
    reservation = make_reservation()
    page = page_of(client, f"/{reservation.code}/cancel")
    assert "Cancel the stay" in page
    assert 'name="reason"' in page
    assert reservations()[0].holds_nights


def test_a_host_cancellation_frees_the_nights_and_mails_guest_and_hosts_once(
    client, host, co_host, make_reservation, book
):
    reservation = make_reservation()
    url = f"/host/reservations/{reservation.code}/cancel"
    reason = "The roof leaks; we are very sorry."

    first = host.post(url, {"reason": reason})
    second = host.post(url, {"reason": reason})

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == f"/host/reservations/{reservation.code}"
    [cancelled] = reservations()
    assert cancelled.status is ReservationStatus.CANCELLED
    assert cancelled.cancelled_by is CancelledBy.HOST
    assert cancelled.cancel_reason == reason
    assert count_rows("night") == 0
    [to_guest] = outbox(kind="cancellation")
    assert to_guest.recipients == [reservation.guest_email]
    assert reason in to_guest.text_body and "Your host has cancelled" in to_guest.text_body
    to_hosts = outbox(kind="host_cancelled_reservation")
    assert sorted(m.recipients[0] for m in to_hosts) == [co_host.email, host.email]
    assert f"/host/reservations/{reservation.code}" in to_hosts[0].text_body
    [entry] = db.session.scalars(select(Activity).filter_by(action="reservation.cancelled"))
    assert (entry.actor, entry.changes) == (host.email, {"reason": [None, reason]})
    html = page_of(client, f"/{reservation.code}")
    assert "cancelled the stay" in html and reason in html
    assert book(reservation.property, reservation.check_in, reservation.check_out).status_code == (
        303
    )


def test_a_host_may_cancel_a_stay_under_way(client, auth, make_reservation, future, time_machine):
    reservation = make_reservation(check_in=future(2), check_out=future(6))
    time_machine.move_to(datetime.now(UTC) + timedelta(days=3), tick=False)
    host = auth
    host.login()
    assert host.post(f"/host/reservations/{reservation.code}/cancel").status_code == 303
    assert reservations()[0].status is ReservationStatus.CANCELLED
    assert "Reason given" not in outbox(kind="host_cancelled_reservation")[0].text_body


def test_the_cancel_page_of_a_cancelled_stay_leads_back_to_it(client, host, make_reservation):
    reservation = make_reservation()
    services.cancel(reservation, CancelledBy.GUEST)
    response = client.get(f"/host/reservations/{reservation.code}/cancel")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/host/reservations/{reservation.code}"


def test_a_reason_too_long_is_refused_and_nothing_changes(client, host, make_reservation):
    reservation = make_reservation()
    response = host.post(f"/host/reservations/{reservation.code}/cancel", {"reason": "x" * 1001})
    assert response.status_code == 422
    assert reservations()[0].holds_nights
    assert outbox(kind="cancellation") == []


# --- bookings by phone ----------------------------------------------------------------


def phone_booking(prop, first_night: date, last_day: date, **fields) -> dict:
    """The phone booking form as a host fills it in: the stay from first_night to last_day."""
    return {
        "property": prop.slug,
        "check_in": str(first_night),
        "check_out": str(last_day),
        "guests": "2",
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "phone": "+1 555 0100",
        "message": "Called at noon.",
        **fields,
    }


def test_a_booking_by_phone_is_booked_and_confirmed_to_the_guest(
    client, host, make_property, future
):
    prop = make_property(name="Hidden Cabin", published=False)
    form_page = page_of(client, "/new")
    assert f'<option value="{prop.slug}">Hidden Cabin</option>' in form_page

    key = hidden_value(form_page, "submission_key")
    response = host.post(
        "/host/reservations", phone_booking(prop, future(10), future(13), submission_key=key)
    )

    assert response.status_code == 303
    [reservation] = reservations()
    assert response.headers["Location"] == f"/host/reservations/{reservation.code}"
    assert (reservation.check_in, reservation.check_out, reservation.guests) == (
        future(10),
        future(13),
        2,
    )
    assert (reservation.guest_name, reservation.guest_phone) == ("Grace Hopper", "+1 555 0100")
    assert count_rows("night") == 3
    [confirmation] = outbox(kind="confirmation")
    assert confirmation.recipients == ["grace@example.com"]
    assert reservation.code in confirmation.subject
    assert confirmation.attachments[0]["content_type"] == "text/calendar"
    [to_host] = outbox(kind="host_new_reservation")
    assert f"http://innkeeper.test/host/reservations/{reservation.code}" in to_host.text_body
    [entry] = db.session.scalars(select(Activity).filter_by(action="reservation.booked"))
    assert (entry.actor, entry.reservation_id) == (host.email, reservation.id)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name."),
        ("email", "not-an-address", "Enter an e-mail address like"),
        ("check_in", "tomorrow", "YYYY-MM-DD"),
        ("guests", "9", "sleeps 1 to 4 guests"),
        ("property", "", "Choose the place."),
        ("property", "nowhere", "Not a valid choice"),
    ],
)
def test_a_phone_booking_to_correct_is_422_with_what_was_typed(
    client, host, make_property, future, field, value, message
):
    prop = make_property()
    before = database_snapshot()
    response = host.post(
        "/host/reservations", phone_booking(prop, future(10), future(12), **{field: value})
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Called at noon." in html and "+1 555 0100" in html
    assert database_snapshot() == before


def test_a_phone_booking_keeps_the_places_rules(client, host, make_property, future):
    prop = make_property(min_nights=3)
    response = host.post("/host/reservations", phone_booking(prop, future(10), future(12)))
    assert response.status_code == 422
    assert "at least 3 nights" in response.get_data(as_text=True)
    past = host.post("/host/reservations", phone_booking(prop, future(-5), future(-1)))
    assert past.status_code == 422
    assert count_rows("reservation") == 0


def test_a_phone_booking_on_taken_nights_is_409_and_stores_nothing(
    client, host, make_reservation, future
):
    taken = make_reservation(check_in=future(10), check_out=future(13))
    before = database_snapshot()
    response = host.post(
        "/host/reservations", phone_booking(taken.property, future(12), future(14))
    )
    assert response.status_code == 409
    assert "already taken" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_the_same_phone_booking_sent_twice_books_once(client, host, make_property, future):
    prop = make_property()
    key = hidden_value(page_of(client, "/new"), "submission_key")
    form = phone_booking(prop, future(10), future(12), submission_key=key)

    first = host.post("/host/reservations", form)
    second = host.post("/host/reservations", form)

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(reservations()) == 1
    assert len(outbox(kind="confirmation")) == 1


def test_the_booking_form_answers_htmx_with_a_fragment(client, host, make_property):
    make_property()
    html = client.get("/host/reservations/new", headers=HX).get_data(as_text=True)
    assert "<html" not in html
    assert 'name="submission_key"' in html
