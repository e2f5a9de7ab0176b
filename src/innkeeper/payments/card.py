"""Card payments through Stripe Checkout: starting a session, and reading Stripe's events."""

import json
import logging

import stripe
from flask import current_app

from ..exceptions import PaymentProviderError
from ..money import Money

log = logging.getLogger(__name__)

# Stripe signs each event with its time: an older one is refused, so a copy cannot be replayed.
SIGNATURE_TOLERANCE_SECONDS = 300


def enabled() -> bool:
    """Card payments are offered once both Stripe keys are set."""
    config = current_app.config
    return bool(config["STRIPE_SECRET_KEY"] and config["STRIPE_WEBHOOK_SECRET"])


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        current_app.config["STRIPE_SECRET_KEY"],
        base_addresses={"api": current_app.config["STRIPE_API_BASE"]},
        max_network_retries=1,
    )


def start_checkout(
    code: str, place: str, amount: Money, email: str, return_url: str, locale: str
) -> str:
    """A Checkout Session for `amount`, paid for reservation `code`; the URL to send the guest to.

    Call it outside any database transaction: it waits for Stripe's answer.
    """
    params = {
        "mode": "payment",
        "client_reference_id": code,
        "customer_email": email,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": amount.currency.lower(),
                    # Stripe counts in the currency's smallest unit, as Money does.
                    "unit_amount": amount.minor,
                    "product_data": {"name": f"{place} · {code}"},
                },
            }
        ],
        "metadata": {"reservation": code},
        "success_url": return_url,
        "cancel_url": return_url,
        "locale": locale if locale in ("en", "es") else "auto",
    }
    try:
        session = _client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        log.error("Stripe refused a Checkout Session for %s: %s", code, error)
        raise PaymentProviderError("card_payment_unavailable") from error
    return session.url


def verified_event(payload: bytes, signature: str | None) -> dict | None:
    """The event Stripe signed, or None when the signature is missing, wrong or too old."""
    try:
        stripe.Webhook.construct_event(
            payload,
            signature or "",
            current_app.config["STRIPE_WEBHOOK_SECRET"],
            tolerance=SIGNATURE_TOLERANCE_SECONDS,
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        log.warning("Refused a Stripe event: %s", error)
        return None
    return json.loads(payload)
