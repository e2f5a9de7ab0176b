"""The guest's page after booking: where the mail went, the stay for their calendar, the
private link to keep, and how to get in once the stay is confirmed."""

from icalendar import Calendar

from innkeeper.properties.models import BookingMode
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import GuestLink, outbox

INSTRUCTIONS = "Key box by the gate: 4512."


def event_of(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_a_confirmed_stay_says_where_the_mail_went_and_how_to_get_in(
    client, make_property, make_reservation
):
    prop = make_property(arrival_instructions=INSTRUCTIONS, house_rules="No parties.")
    link = GuestLink.of(make_reservation(prop, email="ada@example.com"))
    page = client.get(link.page).text

    assert "The confirmation was sent to ada@example.com." in page
    assert f'href="/reservations/{link.code}/stay.ics?token={link.token}"' in page
    assert f'value="http://innkeeper.test{link.page}"' in page  # the link to keep
    assert INSTRUCTIONS in page
    assert "No parties." in page


def test_a_request_says_it_was_received_without_calendar_or_instructions(
    client, make_property, make_reservation
):
    prop = make_property(booking_mode=BookingMode.REQUEST, arrival_instructions=INSTRUCTIONS)
    link = GuestLink.of(make_reservation(prop))
    page = client.get(link.page).text

    assert "Request received. We have sent its details to ada@example.com" in page
    assert "stay.ics" not in page
    assert INSTRUCTIONS not in page
    assert client.get(f"/reservations/{link.code}/stay.ics?token={link.token}").status_code == 404


def test_the_calendar_file_is_the_confirmations_event(client, make_reservation):
    stay = make_reservation()
    link = GuestLink.of(stay)
    response = client.get(f"/reservations/{link.code}/stay.ics?token={link.token}")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{stay.code}.ics"'
    [confirmation] = outbox(kind="confirmation")
    _, mailed = event_of(confirmation.attachments[0]["data"].encode())
    calendar, served = event_of(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    assert (served["UID"], served["SEQUENCE"]) == (mailed["UID"], mailed["SEQUENCE"])
    assert served["DTSTART"].dt == stay.check_in
    assert served["DTEND"].dt == stay.check_out


def test_once_cancelled_the_calendar_file_takes_the_event_out(client, make_reservation):
    stay = make_reservation()
    link = GuestLink.of(stay)
    cancel(stay, CancelledBy.GUEST)
    calendar, event = event_of(
        client.get(f"/reservations/{link.code}/stay.ics?token={link.token}").data
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event["SEQUENCE"] == 1


def test_the_calendar_file_needs_the_stays_own_token(client, make_reservation):
    stay = make_reservation()
    other = GuestLink.of(make_reservation(email="grace@example.com"))
    for url in (
        f"/reservations/{stay.code}/stay.ics",
        f"/reservations/{stay.code}/stay.ics?token=wrong",
        f"/reservations/{stay.code}/stay.ics?token={other.token}",
        f"/reservations/ZZZZ-ZZZZ/stay.ics?token={other.token}",
    ):
        assert client.get(url).status_code == 404, url
