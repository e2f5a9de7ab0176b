"""The guest's card payment and Stripe's reports of it."""

import logging

from flask import Blueprint, abort, jsonify, redirect, request

from ..exceptions import InvalidTransition
from ..extensions import csrf, db
from ..reservations.services import find_for_guest
from ..web import external_url
from . import card, services

log = logging.getLogger(__name__)

bp = Blueprint("payments", __name__)


@bp.post("/reservations/<code>/pay")
def pay(code: str):
    """Send the guest to Stripe Checkout for what is due now; 404 with card payments off.

    The CSRF token is checked as for every form (400 without it).
    """
    if not card.enabled():
        abort(404)
    token = request.form.get("token", "")
    reservation = find_for_guest(code, token)
    account = services.account_of(reservation)
    amount = account.to_pay_by_card
    if not reservation.holds_nights or not amount:
        raise InvalidTransition("nothing_to_pay")
    checkout = {
        "code": reservation.code,
        "place": reservation.property.listing.name,
        "amount": amount,
        "email": reservation.guest_email,
        "return_url": external_url("reservations.show", code=reservation.code, token=token),
        "locale": reservation.locale,
    }
    # No transaction stays open while Stripe answers.
    db.session.rollback()
    return redirect(card.start_checkout(**checkout), 303)


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Stripe's events, signed with STRIPE_WEBHOOK_SECRET: 400 unless the signature verifies.

    A completed Checkout Session records its payment once; every other verified event,
    and one naming no stay of ours, answers 200 so that Stripe stops sending it.
    """
    if not card.enabled():
        abort(404)
    event = card.verified_event(request.get_data(), request.headers.get("Stripe-Signature"))
    if event is None:
        return jsonify(error="signature"), 400
    if event.get("type") != "checkout.session.completed":
        return jsonify(received=True)
    session = event.get("data", {}).get("object", {})
    code, amount = session.get("client_reference_id"), session.get("amount_total")
    if (
        not code
        or not isinstance(amount, int)
        or amount <= 0
        or session.get("payment_status") == "unpaid"
    ):
        log.warning("Stripe event %s pays nothing we can record; ignored", event.get("id"))
        return jsonify(received=True)
    services.record_card_payment(
        event_id=event["id"],
        session_id=session.get("id") or event["id"],
        code=code,
        amount_minor=amount,
        currency=session.get("currency", ""),
    )
    return jsonify(received=True)
