"""What each booking event mails, and to whom; guests get mail in the language they booked in."""

from flask_babel import force_locale

from ..host.services import host_recipients
from ..mail import outbox
from ..web import external_url
from .hooks import mail_details_of
from .ics import stay_calendar

# Mail that a cancellation makes wrong: withdrawn if still queued (the server was down).
WITHDRAWN_ON_CANCELLING = ("reminder", "pre_arrival", "thank_you")


def _stay_attachment(reservation, link: str) -> dict:
    return {
        "filename": f"{reservation.code}.ics",
        "content_type": "text/calendar",
        "data": stay_calendar(reservation, link).decode(),
    }


def _mail_guest(kind: str, reservation, *, attach_stay: bool, **context) -> None:
    link = external_url("reservations.show", code=reservation.code, token=reservation.guest_token())
    # The calendar file speaks the guest's language too, whoever's request queues the mail.
    with force_locale(reservation.locale):
        attachments = [_stay_attachment(reservation, link)] if attach_stay else []
    outbox.queue(
        kind,
        [reservation.guest_email],
        locale=reservation.locale,
        reservation_id=reservation.id,
        attachments=attachments,
        reservation=reservation,
        link=link,
        **mail_details_of(reservation),
        **context,
    )


def _mail_hosts(kind: str, reservation, **context) -> None:
    """One message to each host account, in its language: co-hosts do not see each other's
    address."""
    for address, locale in host_recipients():
        # A host who answers writes to the guest.
        outbox.queue(
            kind,
            [address],
            locale=locale,
            reservation_id=reservation.id,
            reply_to=reservation.guest_email,
            reservation=reservation,
            **context,
        )


def reservation_confirmed(reservation) -> None:
    _mail_guest("confirmation", reservation, attach_stay=True)
    _mail_hosts("host_new_reservation", reservation)


def request_received(reservation) -> None:
    # No calendar file yet: nothing is confirmed until the host accepts.
    _mail_guest("request_received", reservation, attach_stay=False)
    _mail_hosts("host_new_request", reservation)


def request_accepted(reservation) -> None:
    """The guest gets the confirmation, as for a booking confirmed at once."""
    _mail_guest("confirmation", reservation, attach_stay=True)


def request_declined(reservation) -> None:
    _mail_guest("request_declined", reservation, attach_stay=False)


def request_expired(reservation) -> None:
    _mail_guest("request_expired", reservation, attach_stay=False)
    _mail_hosts("host_request_expired", reservation)


def reservation_cancelled(reservation, *, request_withdrawn: bool = False) -> None:
    """A stay called off, or a request the guest withdrew (no calendar entry to remove)."""
    outbox.withdraw(reservation.id, WITHDRAWN_ON_CANCELLING)
    _mail_guest(
        "cancellation",
        reservation,
        attach_stay=not request_withdrawn,
        request_withdrawn=request_withdrawn,
    )
    _mail_hosts("host_cancelled_reservation", reservation, request_withdrawn=request_withdrawn)


def reminder(reservation) -> None:
    _mail_guest("reminder", reservation, attach_stay=False)


def pre_arrival(reservation) -> None:
    _mail_guest("pre_arrival", reservation, attach_stay=False)


def thank_you(reservation) -> None:
    _mail_guest("thank_you", reservation, attach_stay=False)


def booking_link(reservation) -> None:
    """The guest's private link again, asked for on "find my booking"."""
    _mail_guest("booking_link", reservation, attach_stay=False)
