"""Card payments: the real stripe library against a local server answering as Stripe's API
does, and webhook events signed here with the endpoint's secret, as Stripe signs them."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.payments.models import Payment
from tests.helpers import GuestLink, count_rows, csrf_token_from, figure

SECRET_KEY = "sk_test_innkeeper"
WEBHOOK_SECRET = "whsec_innkeeper_test"
CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_1"


class FakeStripe(BaseHTTPRequestHandler):
    """Answers POST /v1/checkout/sessions as the API does; keeps what each request sent."""

    received: list[dict]
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "form": {key: values[0] for key, values in parse_qs(body).items()},
            }
        )
        if self.status == 200:
            answer = {"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL}
        else:
            answer = {"error": {"type": "api_error", "message": "Something went wrong"}}
        payload = json.dumps(answer).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", "req_test")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def stripe_api():
    handler = type("Handler", (FakeStripe,), {"received": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_port}"
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_overrides(stripe_api) -> dict:
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": stripe_api.url,
    }


@pytest.fixture
def stay(make_property, make_reservation, future):
    """240.00 USD (two weeknights or a weekend, and cleaning), 30 % due at booking."""
    prop = make_property(deposit_percent=30, balance_due_days=14)
    return make_reservation(prop, future(40), future(42))


def signed(event: dict, secret: str = WEBHOOK_SECRET, at: int | None = None) -> dict:
    """The request Stripe makes: the raw JSON body and its Stripe-Signature header."""
    body = json.dumps(event)
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "data": body,
        "content_type": "application/json",
        "headers": {"Stripe-Signature": f"t={timestamp},v1={digest}"},
    }


def completed(code: str, amount: int, currency: str = "usd", **changes) -> dict:
    session = {
        "id": changes.pop("session_id", "cs_test_1"),
        "object": "checkout.session",
        "client_reference_id": code,
        "amount_total": amount,
        "currency": currency,
        "payment_status": "paid",
    }
    return {
        "id": changes.pop("event_id", "evt_1"),
        "object": "event",
        "type": changes.pop("type", "checkout.session.completed"),
        "data": {"object": session},
        **changes,
    }


def payments() -> list[tuple[int, str, str]]:
    db.session.rollback()
    rows = db.session.scalars(select(Payment).order_by(Payment.id))
    return [(p.amount_minor, p.currency, p.method.value) for p in rows]


def post_webhook(client, request: dict):
    return client.post("/payments/stripe/webhook", **request)


# --- Checkout Sessions ----------------------------------------------------------------


def test_pay_by_card_creates_a_session_for_what_is_due_and_leads_to_it(client, stay, stripe_api):
    link = GuestLink.of(stay)
    page = client.get(link.page)
    html = page.get_data(as_text=True)
    deposit = stay.total.percent(30)
    assert f"Pay ${deposit.amount} by card" in html
    assert (
        "form-action 'self' https://checkout.stripe.com" in page.headers["Content-Security-Policy"]
    )

    response = client.post(
        f"/reservations/{stay.code}/pay",
        data={"csrf_token": csrf_token_from(html), "token": link.token},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == CHECKOUT_URL
    [sent] = stripe_api.received
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["authorization"] == f"Bearer {SECRET_KEY}"
    form = sent["form"]
    assert form["mode"] == "payment"
    assert form["client_reference_id"] == stay.code
    assert form["line_items[0][price_data][unit_amount]"] == str(deposit.minor)
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][quantity]"] == "1"
    guest_page = f"http://innkeeper.test{link.page}"
    assert form["success_url"] == form["cancel_url"] == guest_page
    assert form["customer_email"] == "ada@example.com"


def test_a_yen_session_is_counted_in_whole_yen(client, make_property, make_reservation, stripe_api):
    prop = make_property(
        currency="JPY", nightly_rate_minor=15000, weekend_rate_minor=15000, cleaning_fee_minor=0
    )
    stay = make_reservation(prop)
    link = GuestLink.of(stay)
    html = client.get(link.page).get_data(as_text=True)
    client.post(
        f"/reservations/{stay.code}/pay",
        data={"csrf_token": csrf_token_from(html), "token": link.token},
    )
    [sent] = stripe_api.received
    assert sent["form"]["line_items[0][price_data][unit_amount]"] == "30000"
    assert sent["form"]["line_items[0][price_data][currency]"] == "jpy"


def test_paying_needs_the_csrf_token_and_the_guests_token(client, stay, stripe_api):
    link = GuestLink.of(stay)
    assert (
        client.post(f"/reservations/{stay.code}/pay", data={"token": link.token}).status_code == 400
    )
    html = client.get(link.page).get_data(as_text=True)
    wrong = client.post(
        f"/reservations/{stay.code}/pay", data={"csrf_token": csrf_token_from(html), "token": "x"}
    )
    assert wrong.status_code == 404
    assert stripe_api.received == []


def test_stripe_refusing_answers_503_and_records_nothing(client, stay, stripe_api):
    stripe_api.status = 500
    link = GuestLink.of(stay)
    html = client.get(link.page).get_data(as_text=True)
    response = client.post(
        f"/reservations/{stay.code}/pay",
        data={"csrf_token": csrf_token_from(html), "token": link.token},
    )
    assert response.status_code == 503
    assert "Card payments cannot be taken right now" in response.get_data(as_text=True)
    assert count_rows("payment") == 0


def test_a_stay_fully_paid_offers_no_card_payment(client, stay):
    post_webhook(client, signed(completed(stay.code, stay.total.minor)))
    html = client.get(GuestLink.of(stay).page).get_data(as_text=True)
    assert "by card" not in html
    assert figure(html, "owed") == "0.00"


# --- the webhook ------------------------------------------------------------------------


def test_a_signed_completed_session_records_the_card_payment(client, stay):
    response = post_webhook(client, signed(completed(stay.code, 7200)))
    assert response.status_code == 200
    assert payments() == [(7200, "USD", "card")]
    html = client.get(GuestLink.of(stay).page).get_data(as_text=True)
    assert figure(html, "paid") == "72.00"
    [entry] = db.session.scalars(select(Activity).filter_by(action="payment.by_card"))
    assert (entry.actor, entry.subject) == (stay.guest_email, stay.code)
    assert entry.changes == {"amount": [None, "72.00 USD"]}


def test_a_yen_payment_is_recorded_in_whole_yen(client, make_property, make_reservation):
    stay = make_reservation(make_property(currency="JPY", nightly_rate_minor=15000))
    assert post_webhook(client, signed(completed(stay.code, 15000, "jpy"))).status_code == 200
    assert payments() == [(15000, "JPY", "card")]
    assert figure(client.get(GuestLink.of(stay).page).get_data(as_text=True), "paid") == "15000"


@pytest.mark.parametrize(
    "request_of",
    [
        lambda event: signed(event, secret="whsec_someone_else"),
        lambda event: signed(event, at=int(time.time()) - 301),
        lambda event: {**signed(event), "headers": {}},
        lambda event: {**signed(event), "data": json.dumps({**event, "id": "evt_forged"})},
    ],
    ids=["wrong secret", "too old", "unsigned", "body changed"],
)
def test_an_event_that_does_not_verify_is_refused_and_records_nothing(client, stay, request_of):
    response = post_webhook(client, request_of(completed(stay.code, 7200)))
    assert response.status_code == 400
    assert payments() == []


def test_an_event_sent_again_records_its_payment_once(client, stay):
    event = completed(stay.code, 7200)
    assert post_webhook(client, signed(event)).status_code == 200
    assert post_webhook(client, signed(event)).status_code == 200
    assert payments() == [(7200, "USD", "card")]
    assert count_rows("activity") == 1


def test_two_events_for_one_session_record_one_payment(client, stay):
    post_webhook(client, signed(completed(stay.code, 7200, event_id="evt_1")))
    response = post_webhook(client, signed(completed(stay.code, 7200, event_id="evt_2")))
    assert response.status_code == 200
    assert payments() == [(7200, "USD", "card")]


def test_an_unknown_reservation_is_answered_200_and_logged(client, stay, caplog):
    response = post_webhook(client, signed(completed("ZZZZ-ZZZZ", 7200)))
    assert response.status_code == 200
    assert payments() == []
    assert "names no reservation 'ZZZZ-ZZZZ'" in caplog.text


def test_other_events_are_acknowledged_and_ignored(client, stay):
    event = completed(stay.code, 7200, type="checkout.session.expired")
    assert post_webhook(client, signed(event)).status_code == 200
    unpaid = completed(stay.code, 7200, event_id="evt_2")
    unpaid["data"]["object"]["payment_status"] = "unpaid"
    assert post_webhook(client, signed(unpaid)).status_code == 200
    assert payments() == []


def test_without_the_keys_there_is_no_card_payment(app, client, stay):
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    link = GuestLink.of(stay)
    page = client.get(link.page)
    html = page.get_data(as_text=True)
    assert "by card" not in html
    assert "checkout.stripe.com" not in page.headers["Content-Security-Policy"]
    pay = client.post(
        f"/reservations/{stay.code}/pay",
        data={"csrf_token": csrf_token_from(html), "token": link.token},
    )
    assert pay.status_code == 404
    assert post_webhook(client, signed(completed(stay.code, 7200))).status_code == 404
    assert payments() == []
