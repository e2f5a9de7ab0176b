"""What each booking event and calendar conflict mails, and to whom."""

from sqlalchemy import delete, select

from ..calendars.ics import stay_calendar
from ..extensions import db
from ..host.models import Host
from ..web import external_url
from . import outbox
from .models import OutboxMessage


def _stay_attachment(reservation, link: str) -> dict:
    return {
        "filename": f"{reservation.code}.ics",
        "content_type": "text/calendar",
        "data": stay_calendar(reservation, link).decode(),
    }


def _mail_guest(kind: str, reservation, *, attach_stay: bool) -> None:
    link = external_url("reservations.show", code=reservation.code, token=reservation.guest_token())
    attachments = [_stay_attachment(reservation, link)] if attach_stay else []
    outbox.queue(
        kind, [reservation.guest_email], attachments=attachments, reservation=reservation, link=link
    )


def _mail_hosts(kind: str, **context) -> None:
    """One message to each host account: co-hosts do not see each other's address."""
    for address in db.session.scalars(select(Host.email).order_by(Host.id)):
        outbox.queue(kind, [address], **context)


def reservation_confirmed(reservation) -> None:
    _mail_guest("confirmation", reservation, attach_stay=True)
    _mail_hosts("host_new_reservation", reservation=reservation)


def reservation_cancelled(reservation) -> None:
    # A reminder still queued (the mail server was down) must not follow the cancellation.
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.reservation_id == reservation.id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.status == OutboxMessage.QUEUED,
        )
    )
    _mail_guest("cancellation", reservation, attach_stay=True)
    _mail_hosts("host_cancelled_reservation", reservation=reservation)


def reminder(reservation) -> None:
    _mail_guest("reminder", reservation, attach_stay=False)


def calendar_conflict(feed, conflicts: list[str]) -> None:
    """Another site's calendar has events on nights already taken here: one line each."""
    _mail_hosts(
        "host_calendar_conflict",
        feed=feed,
        conflicts=conflicts,
        link=external_url("host.dashboard"),
    )
