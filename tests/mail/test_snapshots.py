"""Snapshots of every mail, text and HTML, rendered on a fixed day with a fixed code and
token: a change to what guests and hosts read shows in review.

INNKEEPER_UPDATE_SNAPSHOTS=1 writes the files under tests/mail/snapshots/ anew.
"""

import os
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.notifications import calendar_conflict
from innkeeper.database import write_transaction
from innkeeper.host.services import create_host
from innkeeper.mail.models import OutboxMessage
from innkeeper.money import Money
from innkeeper.payments.notifications import balance_due
from innkeeper.reservations import notifications
from innkeeper.reservations.models import CancelledBy, Reservation, ReservationStatus
from innkeeper.settings.services import update_settings
from tests.helpers import outbox

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("INNKEEPER_UPDATE_SNAPSHOTS") == "1"
CODE = "K7QX-2MPD"
HOST = "marisol@seashell.example"


@pytest.fixture
def engine_name():
    """Mail reads the same on either engine: these run on SQLite alone."""
    return "sqlite"


@pytest.fixture
def stay(make_property) -> Reservation:
    """Friday 4 to Monday 7 July 2031 at Seashell House, booked on Sunday 1 June 2031 with
    30 % due at booking; its code and token fixed."""
    create_host(HOST, "correct horse battery")
    update_settings({"reply_to": HOST, "host_contact": "Marisol: +52 984 555 0142"})
    prop = make_property(
        slug="seashell-house",
        name="Seashell House",
        timezone="America/Cancun",
        nightly_rate_minor=12000,
        weekend_rate_minor=15000,
        address="Calle Caracol 12\nTulum, Q.R. 77780\nMexico",
        house_rules="No smoking indoors.\nQuiet after 10 pm.",
        check_in_time=time(16),
        check_out_time=time(11),
        arrival_instructions="The key is in the box by the gate: code 4512.\nPark on the left.",
        deposit_percent=30,
    )
    with write_transaction() as session:
        reservation = Reservation(
            code=CODE,
            token_nonce="0" * 32,
            property=prop,
            check_in=date(2031, 7, 4),
            check_out=date(2031, 7, 7),
            guests=2,
            guest_name="Ada Lovelace",
            guest_email="ada@example.com",
            guest_phone="+1 555 0100",
            guest_message="We arrive late.\nIs there parking?",
            currency="USD",
            price_lines=[
                {"kind": "nights", "quantity": 2, "unit_minor": 15000, "amount_minor": 30000},
                {"kind": "nights", "quantity": 1, "unit_minor": 12000, "amount_minor": 12000},
                {"kind": "cleaning_fee", "quantity": 1, "unit_minor": None, "amount_minor": 4000},
            ],
            total_minor=46000,
            status=ReservationStatus.CONFIRMED,
        )
        reservation.keep_terms(prop)
        session.add(reservation)
    return reservation


def as_request(r: Reservation) -> None:
    r.status = ReservationStatus.REQUESTED
    r.request_expires_at = datetime(2031, 6, 2, 9, 0)


def requested(then):
    def change(r: Reservation) -> None:
        as_request(r)
        then(r)

    return change


def cancelled(by: CancelledBy, reason: str = ""):
    def change(r: Reservation) -> None:
        r.status = ReservationStatus.CANCELLED
        r.cancelled_by = by
        r.cancel_reason = reason

    return change


def unchanged(r: Reservation) -> None:
    pass


def accepted(r: Reservation) -> None:
    as_request(r)
    r.status = ReservationStatus.CONFIRMED


def declined(r: Reservation) -> None:
    as_request(r)
    r.status = ReservationStatus.DECLINED
    r.cancel_reason = "We are closed for repairs that week."


def expired(r: Reservation) -> None:
    as_request(r)
    r.status = ReservationStatus.EXPIRED


def conflict(r: Reservation) -> None:
    feed = CalendarFeed(property=r.property, url="https://www.airbnb.com/c.ics", label="Airbnb")
    feed.id = 7
    conflicts = [
        {
            "event": "HMABC123",
            "start": "2031-07-05",
            "end": "2031-07-08",
            "nights": ["2031-07-05", "2031-07-06"],
            "holders": [{"reservation": CODE}],
        }
    ]
    calendar_conflict(feed, conflicts)


# snapshot name: (how the stay stands, what mails it, the kind of mail to show)
MAIL = {
    "confirmation": (unchanged, notifications.reservation_confirmed, "confirmation"),
    "host_new_reservation": (
        unchanged,
        notifications.reservation_confirmed,
        "host_new_reservation",
    ),
    "request_received": (as_request, notifications.request_received, "request_received"),
    "host_new_request": (as_request, notifications.request_received, "host_new_request"),
    "request_accepted": (accepted, notifications.request_accepted, "confirmation"),
    "request_declined": (declined, notifications.request_declined, "request_declined"),
    "request_expired": (expired, notifications.request_expired, "request_expired"),
    "host_request_expired": (expired, notifications.request_expired, "host_request_expired"),
    "cancellation": (
        cancelled(CancelledBy.GUEST),
        notifications.reservation_cancelled,
        "cancellation",
    ),
    "cancellation_by_host": (
        cancelled(CancelledBy.HOST, "The roof is being repaired.\nWe are sorry."),
        notifications.reservation_cancelled,
        "cancellation",
    ),
    "request_withdrawn": (
        requested(cancelled(CancelledBy.GUEST)),
        lambda r: notifications.reservation_cancelled(r, request_withdrawn=True),
        "cancellation",
    ),
    "host_cancelled_reservation": (
        cancelled(CancelledBy.HOST, "The roof is being repaired."),
        notifications.reservation_cancelled,
        "host_cancelled_reservation",
    ),
    "reminder": (unchanged, notifications.reminder, "reminder"),
    "balance_due": (
        unchanged,
        lambda r: balance_due(r, Money(32200, "USD"), date(2031, 6, 20)),
        "balance_due",
    ),
    "pre_arrival": (unchanged, notifications.pre_arrival, "pre_arrival"),
    "thank_you": (unchanged, notifications.thank_you, "thank_you"),
    "booking_link": (unchanged, notifications.booking_link, "booking_link"),
    "host_calendar_conflict": (unchanged, conflict, "host_calendar_conflict"),
}


def headers_and_text(message: OutboxMessage) -> str:
    attachments = ", ".join(f"{a['filename']} ({a['content_type']})" for a in message.attachments)
    lines = [
        f"To: {', '.join(message.recipients)}",
        f"Reply-To: {message.reply_to}",
        f"Subject: {message.subject}",
        *([f"Attachments: {attachments}"] if attachments else []),
    ]
    return "\n".join(lines) + "\n\n" + message.text_body


def matches_snapshot(name: str, rendered: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(rendered)
    assert path.exists(), f"no snapshot {name}: run with INNKEEPER_UPDATE_SNAPSHOTS=1"
    assert rendered == path.read_text(), f"{name} differs from its snapshot"


@pytest.mark.time_machine(datetime(2031, 6, 1, 14, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize("name", MAIL)
def test_each_mail_reads_as_its_snapshot(name, stay):
    change, mail, kind = MAIL[name]
    with write_transaction() as session:
        reservation = session.get(Reservation, stay.id)
        change(reservation)
        mail(reservation)

    [message, *_] = outbox(kind=kind)
    matches_snapshot(f"{name}.txt", headers_and_text(message))
    matches_snapshot(f"{name}.html", message.html_body)


def test_every_mail_template_has_a_snapshot():
    templates = Path(__file__).parents[2] / "templates" / "email"
    kinds = {p.stem for p in templates.glob("*.txt") if not p.stem.startswith("_")} - {"base"}
    assert kinds <= {kind for _change, _mail, kind in MAIL.values()}
