"""The host's reservations list with 10,000 reservations: how long one page takes to answer.

A throwaway SQLite database holds the demo properties, three more places and 10,000
stays over five years (a tenth of them cancelled). A signed-in host asks for pages of
the list through the app itself (the Flask test client: routing, the guard, the queries
and the template, no network), then the whole CSV. The stays have no night rows: the
list and the CSV read only the reservations.

    .venv/bin/python -m bench.reservations
"""

import argparse
import logging
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from innkeeper import create_app
from innkeeper.clock import utcnow
from innkeeper.database import write_transaction
from innkeeper.demo import load_demo
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.pricing.services import Stay, price
from innkeeper.properties.models import Property
from innkeeper.reservations.models import CancelledBy, Reservation, ReservationStatus, new_code

from .data import app_config

RESERVATIONS = 10_000
REQUIRED_MS = 100
SEED = 20261209
HOST_EMAIL, HOST_PASSWORD = "bench@example.com", "bench password"
MORE_PLACES = [
    {"slug": "pine-cabin", "name": "Pine Cabin", "currency": "USD", "timezone": "America/Denver"},
    {"slug": "casa-nandu", "name": "Casa Ñandú", "currency": "EUR", "timezone": "Europe/Madrid"},
    {"slug": "kyoto-ryokan", "name": "Kyoto Ryokan", "currency": "JPY", "timezone": "Asia/Tokyo"},
]


def fill(count: int) -> None:
    """The demo places, three more, and `count` stays spread over five years among them."""
    load_demo()
    with write_transaction() as session:
        for values in MORE_PLACES:
            session.add(
                Property(
                    **values,
                    nightly_rate_minor=10000,
                    weekend_rate_minor=12000,
                    max_guests=4,
                    photos=[],
                )
            )
    places = db.session.scalars(select(Property)).all()
    rng = random.Random(SEED)
    today = utcnow().date()
    rows = []
    for number in range(1, count + 1):
        prop = rng.choice(places)
        check_in = today + timedelta(days=rng.randint(-4 * 365, 330))
        stay = Stay(check_in, check_in + timedelta(days=rng.randint(2, 7)), 2)
        quote = price(prop, stay)
        cancelled = rng.random() < 0.1
        rows.append(
            {
                "code": new_code(),
                "token_nonce": secrets.token_hex(16),
                "property_id": prop.id,
                "check_in": stay.check_in,
                "check_out": stay.check_out,
                "guests": stay.guests,
                "guest_name": f"Guest {number}",
                "guest_email": f"guest{number}@example.com",
                "guest_phone": "+1 555 0100",
                "guest_message": "",
                "currency": prop.currency,
                "price_lines": quote.to_records(),
                "total_minor": quote.total.minor,
                "locale": "en",
                "status": ReservationStatus.CANCELLED if cancelled else ReservationStatus.CONFIRMED,
                "cancelled_by": CancelledBy.GUEST if cancelled else None,
            }
        )
    with write_transaction() as session:
        session.execute(insert(Reservation), rows)


def sign_in(client) -> None:
    page = client.get("/host/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    form = {"csrf_token": token, "email": HOST_EMAIL, "password": HOST_PASSWORD}
    if client.post("/host/login", data=form).status_code != 303:
        raise RuntimeError("the bench host could not sign in")


def timed(client, path: str, times: int) -> tuple[list[float], int]:
    """Milliseconds for each of `times` requests of `path` (after two to warm up), and bytes."""
    for _ in range(2):
        client.get(path)
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return timings, len(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reservations", description=__doc__)
    parser.add_argument("--times", type=int, default=30, help="requests of each page (30)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="innkeeper-bench-") as folder:
        app = create_app(app_config(Path(folder), f"sqlite:///{Path(folder) / 'bench.db'}"))
        with app.app_context():
            logging.disable(logging.INFO)  # alembic's progress lines
            try:
                upgrade(directory=app.extensions["migrate"].directory)
            finally:
                logging.disable(logging.NOTSET)
            fill(RESERVATIONS)
            create_host(HOST_EMAIL, HOST_PASSWORD)
            client = app.test_client()
            sign_in(client)
            pages = [
                ("first page", "/host/reservations"),
                ("page 100 of 200", "/host/reservations?page=100"),
                ("upcoming", "/host/reservations?show=upcoming"),
                ("in the house", "/host/reservations?show=in-house"),
                (
                    "place + cancelled",
                    "/host/reservations?property=seashell-house&status=cancelled",
                ),
                ("search a name", "/host/reservations?q=guest%204321"),
            ]
            print(
                f"SQLite with {RESERVATIONS} reservations; {args.times} requests a page, in process"
            )
            print(f"{'page':<20} {'bytes':>7} {'median ms':>10} {'p95 ms':>8}")
            medians = []
            for name, path in pages:
                timings, size = timed(client, path, args.times)
                median = statistics.median(timings)
                medians.append(median)
                p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
                print(f"{name:<20} {size:>7} {median:>10.1f} {p95:>8.1f}")
            started = time.perf_counter()
            export = client.get("/host/reservations.csv").get_data()
            elapsed = time.perf_counter() - started
            rows = export.count(b"\n") - 1
            print(
                f"CSV of every reservation: {rows} rows,"
                f" {len(export) // 1024} KB in {elapsed * 1000:.0f} ms"
            )
            db.session.remove()
            db.engine.dispose()
    slowest = max(medians)
    print(f"slowest median page: {slowest:.1f} ms (required: under {REQUIRED_MS} ms)")
    return 0 if slowest < REQUIRED_MS else 1


if __name__ == "__main__":
    sys.exit(main())
