"""Snapshots of the mail wording, with fixed dates: a change to the text shows in review."""

from datetime import date, datetime

import pytest
from flask import render_template
from flask_babel import force_locale

from innkeeper import create_app
from innkeeper.properties.models import Property
from innkeeper.reservations.models import CancelledBy, Reservation, ReservationStatus
from innkeeper.settings.models import SiteSettings
from innkeeper.web import render_block
from tests.helpers import base_config

LINK = "http://innkeeper.test/reservations/K7QX-2MPD?token=TOKEN"


@pytest.fixture
def render(tmp_path):
    """Subject and text body as the outbox stores them, in English; no database is touched."""
    app = create_app(base_config(tmp_path, "sqlite://"))

    def render(template: str, reservation: Reservation, **context) -> str:
        with app.app_context(), force_locale("en"):
            name = f"email/{template}.txt"
            site = SiteSettings.defaults()
            context = {"reservation": reservation, "link": LINK, "site": site, **context}
            subject = render_block(name, "subject", **context)
            body = render_template(name, **context)
        return f"Subject: {subject.strip()}\n\n{body.strip()}\n"

    return render


def seashell_stay(**overrides) -> Reservation:
    """Friday 4 to Monday 7 July 2031 at Seashell House: 150 + 150 + 120, plus 40 cleaning."""
    prop = Property(slug="seashell-house", name="Seashell House", currency="USD", timezone="UTC")
    values = {
        "code": "K7QX-2MPD",
        "token_nonce": "0" * 32,
        "property": prop,
        "check_in": date(2031, 7, 4),
        "check_out": date(2031, 7, 7),
        "guests": 2,
        "guest_name": "Ada Lovelace",
        "guest_email": "ada@example.com",
        "guest_phone": "",
        "guest_message": "",
        "currency": "USD",
        "price_lines": [
            {"kind": "nights", "quantity": 2, "unit_minor": 15000, "amount_minor": 30000},
            {"kind": "nights", "quantity": 1, "unit_minor": 12000, "amount_minor": 12000},
            {"kind": "cleaning_fee", "quantity": 1, "unit_minor": None, "amount_minor": 4000},
        ],
        "total_minor": 46000,
        "status": ReservationStatus.CONFIRMED,
    }
    return Reservation(**{**values, **overrides})


# The signature separator is "-- " with its trailing space, as mail readers expect.
SIGNATURE = "-- \nSent by Innkeeper.\n"

CONFIRMATION = (
    """\
Subject: Your stay at Seashell House is booked: K7QX-2MPD

Hello Ada Lovelace,

Your reservation is confirmed.

Place: Seashell House
Check-in: Friday, July 4, 2031
Check-out: Monday, July 7, 2031
Guests: 2
Total: $460.00
Code: K7QX-2MPD

Price:
- 2 nights × $150.00: $300.00
- 1 night × $120.00: $120.00
- Cleaning fee: $40.00

See or cancel your reservation:
http://innkeeper.test/reservations/K7QX-2MPD?token=TOKEN

The attached calendar file adds the stay to your calendar.

"""  # noqa: RUF001 (price lines multiply with the multiplication sign)
    + SIGNATURE
)


def test_confirmation_text(render):
    assert render("confirmation", seashell_stay()) == CONFIRMATION


HOST_NEW_RESERVATION = (
    """\
Subject: New reservation K7QX-2MPD at Seashell House

Ada Lovelace booked Seashell House.

Place: Seashell House
Check-in: Friday, July 4, 2031
Check-out: Monday, July 7, 2031
Guests: 2
Total: $460.00
Code: K7QX-2MPD
E-mail: ada@example.com
Phone: +1 555 0100

Message:
We arrive late.
Is there parking?

On your host pages:
http://innkeeper.test/host/reservations/K7QX-2MPD

"""
    + SIGNATURE
)


def test_host_new_reservation_text(render):
    stay = seashell_stay(
        guest_phone="+1 555 0100", guest_message="We arrive late.\nIs there parking?"
    )
    assert render("host_new_reservation", stay) == HOST_NEW_RESERVATION


HOST_CANCELLED_RESERVATION = (
    """\
Subject: Cancelled: reservation K7QX-2MPD at Seashell House

The stay of Ada Lovelace was cancelled by a host; the nights are free again.

Reason given to the guest: The roof is being repaired.

Place: Seashell House
Check-in: Friday, July 4, 2031
Check-out: Monday, July 7, 2031
Guests: 2
Total: $460.00
Code: K7QX-2MPD

On your host pages:
http://innkeeper.test/host/reservations/K7QX-2MPD

"""
    + SIGNATURE
)


def test_host_cancelled_reservation_text_gives_the_reason_and_the_host_page(render):
    stay = seashell_stay(
        status=ReservationStatus.CANCELLED,
        cancelled_by=CancelledBy.HOST,
        cancel_reason="The roof is being repaired.",
    )
    assert render("host_cancelled_reservation", stay) == HOST_CANCELLED_RESERVATION


GUEST_CANCELLED_BY_HOST = (
    """\
Subject: Your reservation K7QX-2MPD is cancelled

Hello Ada Lovelace,

Your host has cancelled this reservation. Please write to your host with any question.

Your host wrote:
The roof is being repaired.
We are sorry.

Place: Seashell House
Check-in: Friday, July 4, 2031
Check-out: Monday, July 7, 2031
Guests: 2
Total: $460.00
Code: K7QX-2MPD

http://innkeeper.test/reservations/K7QX-2MPD?token=TOKEN

"""
    + SIGNATURE
)


def test_a_host_cancellation_tells_the_guest_the_reason(render):
    stay = seashell_stay(
        status=ReservationStatus.CANCELLED,
        cancelled_by=CancelledBy.HOST,
        cancel_reason="The roof is being repaired.\nWe are sorry.",
    )
    assert render("cancellation", stay) == GUEST_CANCELLED_BY_HOST


def asked(**overrides) -> Reservation:
    """The stay as a request, to be answered by 09:30 UTC on Friday 20 June 2031."""
    values = {
        "status": ReservationStatus.REQUESTED,
        "request_expires_at": datetime(2031, 6, 20, 9, 30),
    }
    return seashell_stay(**{**values, **overrides})


STAY_LINES = """\
Place: Seashell House
Check-in: Friday, July 4, 2031
Check-out: Monday, July 7, 2031
Guests: 2
Total: $460.00
Code: K7QX-2MPD
"""
DEADLINE = "Friday, June 20, 2031, 9:30\u202fAM (UTC)"

REQUEST_RECEIVED = (
    f"""\
Subject: Your request to stay at Seashell House: K7QX-2MPD

Hello Ada Lovelace,

Your request has reached the host. It is not confirmed yet: the host answers by {DEADLINE}, \
and until then these nights are held for you.

We will write again when the host accepts or declines. Without an answer by then, the request \
expires and the nights are free again.

{STAY_LINES}
Price:
- 2 nights × $150.00: $300.00
- 1 night × $120.00: $120.00
- Cleaning fee: $40.00

See or withdraw your request:
http://innkeeper.test/reservations/K7QX-2MPD?token=TOKEN

"""  # noqa: RUF001 (price lines multiply with the multiplication sign)
    + SIGNATURE
)


def test_request_received_text_gives_the_deadline_in_the_places_time(render):
    assert render("request_received", asked()) == REQUEST_RECEIVED


HOST_NEW_REQUEST = (
    f"""\
Subject: Request K7QX-2MPD at Seashell House: please accept or decline

Ada Lovelace asks to book Seashell House. The nights are held until you answer, by {DEADLINE}; \
without an answer the request expires and they are free again.

{STAY_LINES}E-mail: ada@example.com

Message:
Late.

Accept or decline on your host pages:
http://innkeeper.test/host/reservations/K7QX-2MPD

"""
    + SIGNATURE
)


def test_host_new_request_text_links_to_the_request(render):
    assert render("host_new_request", asked(guest_message="Late.")) == HOST_NEW_REQUEST


REQUEST_DECLINED = (
    f"""\
Subject: Your request K7QX-2MPD was declined

Hello Ada Lovelace,

The host of Seashell House cannot take your request, so nothing is booked. The nights are \
free again.

Your host wrote:
Closed for repairs.

{STAY_LINES}
http://innkeeper.test/reservations/K7QX-2MPD?token=TOKEN

"""
    + SIGNATURE
)


def test_request_declined_text_gives_the_hosts_reason(render):
    stay = asked(status=ReservationStatus.DECLINED, cancel_reason="Closed for repairs.")
    assert render("request_declined", stay) == REQUEST_DECLINED


REQUEST_EXPIRED = (
    f"""\
Subject: Your request K7QX-2MPD has expired

Hello Ada Lovelace,

The host of Seashell House did not answer your request in time, so it has expired and nothing \
is booked. The nights are free again: you are welcome to ask again.

{STAY_LINES}
http://innkeeper.test/properties/seashell-house

"""
    + SIGNATURE
)


def test_request_expired_text_invites_the_guest_to_ask_again(render):
    assert render("request_expired", asked(status=ReservationStatus.EXPIRED)) == REQUEST_EXPIRED


def test_an_accepted_request_is_confirmed_with_the_hosts_acceptance(render):
    text = render("confirmation", asked(status=ReservationStatus.CONFIRMED))
    assert text == CONFIRMATION.replace(
        "Your reservation is confirmed.",
        "Your host has accepted your request: your reservation is confirmed.",
    )


def test_a_withdrawn_request_reads_as_withdrawn(render):
    stay = asked(status=ReservationStatus.CANCELLED, cancelled_by=CancelledBy.GUEST)
    text = render("cancellation", stay, request_withdrawn=True)
    assert text.startswith("Subject: Your request K7QX-2MPD is withdrawn\n")
    assert "You have withdrawn your request; nothing is booked" in text
