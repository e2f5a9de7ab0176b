"""What each booking event mails, and to whom."""

from sqlalchemy import delete, select

from ..calendars.ics import stay_calendar
from ..extensions import db
from ..host.models import Host
from ..web import external_url
from . import outbox
from .models import OutboxMessage


def _guest_link(reservation) -> str:
    return external_url("reservations.show", code=reservation.code, token=reservation.guest_token())


def _stay_attachment(reservation, link: str) -> dict:
    return {
        "filename": f"{reservation.code}.ics",
        "content_type": "text/calendar",
        "data": stay_calendar(reservation, link).decode(),
    }


def _host_addresses() -> list[str]:
    return list(db.session.scalars(select(Host.email).order_by(Host.id)))


def _tell_hosts(reservation, template: str) -> None:
    if hosts := _host_addresses():
        outbox.queue(f"host_{template}", f"host_{template}", hosts, reservation=reservation)


def reservation_confirmed(reservation) -> None:
    link = _guest_link(reservation)
    outbox.queue(
        "confirmation",
        "confirmation",
        [reservation.guest_email],
        attachments=[_stay_attachment(reservation, link)],
        reservation=reservation,
        link=link,
    )
    _tell_hosts(reservation, "new_reservation")


def reservation_cancelled(reservation) -> None:
    # A reminder still queued (the mail server was down) must not follow the cancellation.
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.reservation_id == reservation.id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.status == OutboxMessage.QUEUED,
        )
    )
    link = _guest_link(reservation)
    outbox.queue(
        "cancellation",
        "cancellation",
        [reservation.guest_email],
        attachments=[_stay_attachment(reservation, link)],
        reservation=reservation,
        link=link,
    )
    _tell_hosts(reservation, "cancelled_reservation")


def reminder(reservation) -> None:
    link = _guest_link(reservation)
    outbox.queue(
        "reminder",
        "reminder",
        [reservation.guest_email],
        reservation=reservation,
        link=link,
    )
