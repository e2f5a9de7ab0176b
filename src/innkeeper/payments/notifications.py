"""What payments mail: the guest's reminder of a balance due, in the language they booked in."""

from ..mail import outbox
from ..web import external_url


def balance_due(reservation, owed, due) -> None:
    link = external_url("reservations.show", code=reservation.code, token=reservation.guest_token())
    outbox.queue(
        "balance_due",
        [reservation.guest_email],
        locale=reservation.locale,
        reservation_id=reservation.id,
        reservation=reservation,
        owed=owed,
        due=due,
        link=link,
    )


def withdraw_balance_reminder(reservation) -> None:
    """At cancellation: a reminder of a balance still queued would ask for money not owed."""
    outbox.withdraw(reservation.id, ["balance_due"])
