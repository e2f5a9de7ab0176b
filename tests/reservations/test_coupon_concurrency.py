"""A coupon's last use raced for by many guests at once, through gunicorn's worker processes.

The guests book different nights of different places, so neither the night ledger nor one
place's lock stands between them: only the coupon's conditional UPDATE decides.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.mail.models import OutboxMessage
from innkeeper.pricing.coupons import add_coupon
from innkeeper.pricing.models import Coupon
from innkeeper.reservations.models import Reservation
from tests.helpers import booking_form
from tests.reservations.test_concurrency import Answer, Browser

WORKERS = 4
GUESTS = 16
PLACES = 4


def test_a_one_use_coupon_goes_to_exactly_one_of_many_guests(start_server, make_property, future):
    slugs = [make_property().slug for _ in range(PLACES)]
    add_coupon("ONCE-ONLY", percent_off=Decimal(10), max_uses=1)
    first_night = future(30)
    server = start_server(workers=WORKERS)
    barrier = threading.Barrier(GUESTS)

    def attempt(number: int) -> Answer:
        slug = slugs[number % PLACES]
        check_in = first_night + timedelta(days=2 * (number // PLACES))
        try:
            browser = Browser(server.url)
            browser.open_property(slug)
            barrier.wait(timeout=30)
        except BaseException:
            barrier.abort()
            raise
        form = booking_form(
            check_in,
            check_in + timedelta(days=2),
            csrf_token=browser.csrf_token,
            email=f"guest{number}@example.com",
            coupon="once-only",
        )
        return browser.request(f"/properties/{slug}/reservations", form)

    with ThreadPoolExecutor(GUESTS) as pool:
        answers = list(pool.map(attempt, range(GUESTS)))

    assert Counter(a.status for a in answers) == {303: 1, 422: GUESTS - 1}
    assert all("used as many times as it may be" in a.body for a in answers if a.status == 422)
    [winner] = [a for a in answers if a.status == 303]
    db.session.rollback()
    [reservation] = db.session.scalars(select(Reservation)).all()
    assert reservation.code == winner.code
    [line] = [line for line in reservation.quote.lines if line.kind == "coupon"]
    assert line.code == "ONCE-ONLY"
    assert db.session.scalar(select(Coupon.uses)) == 1
    # The refused bookings left neither nights nor mail behind.
    assert set(db.session.scalars(select(OutboxMessage.reservation_id))) == {reservation.id}
