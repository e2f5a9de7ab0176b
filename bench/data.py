"""A throwaway SQLite database: the schema, the demo properties and years of bookings."""

import logging
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from innkeeper import create_app
from innkeeper.availability.models import Night
from innkeeper.availability.services import nights_of
from innkeeper.database import write_transaction
from innkeeper.demo import load_demo
from innkeeper.extensions import db
from innkeeper.pricing.services import Stay, price
from innkeeper.properties.models import Property
from innkeeper.reservations.models import Reservation, ReservationStatus, new_code

# A busy small host: three years of past stays and bookings up to eleven months ahead.
HISTORY_DAYS = 3 * 365
AHEAD_DAYS = 330
SEED = 20240601


@dataclass(frozen=True)
class Dataset:
    reservations: int
    nights: int


def app_config(folder: Path, database_url: str) -> dict:
    return {
        "SECRET_KEY": "bench-secret-key",
        "INSTANCE_PATH": str(folder / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": None,
    }


def build(folder: Path, database_url: str) -> Dataset:
    """Migrate the database, load the demo properties and fill their calendars."""
    app = create_app(app_config(folder, database_url))
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's progress lines
        try:
            upgrade(directory=app.extensions["migrate"].directory)
        finally:
            logging.disable(logging.NOTSET)
        load_demo()
        rng = random.Random(SEED)
        properties = db.session.scalars(select(Property).order_by(Property.id)).all()
        for prop in properties:
            _fill(prop, rng)
        dataset = Dataset(
            reservations=db.session.scalar(select(func.count()).select_from(Reservation)),
            nights=db.session.scalar(select(func.count()).select_from(Night)),
        )
        db.session.remove()
        db.engine.dispose()
    return dataset


def add_property(folder: Path, database_url: str, **values) -> None:
    app = create_app(app_config(folder, database_url))
    with app.app_context():
        with write_transaction() as session:
            session.add(Property(**values))
        db.session.remove()
        db.engine.dispose()


def _fill(prop: Property, rng: random.Random) -> None:
    """Stays of 2 to 7 nights with gaps of 0 to 6 days, from years ago to months ahead."""
    today = prop.local_today()
    day = today - timedelta(days=HISTORY_DAYS)
    end = today + timedelta(days=AHEAD_DAYS)
    reservations = []
    while True:
        day += timedelta(days=rng.randint(0, 6))
        check_in, check_out = day, day + timedelta(days=max(prop.min_nights, rng.randint(2, 7)))
        if check_out > end:
            break
        guests = rng.randint(1, prop.max_guests)
        quote = price(prop, Stay(check_in, check_out, guests))
        reservations.append(
            {
                "code": new_code(),
                "token_nonce": secrets.token_hex(16),
                "property_id": prop.id,
                "check_in": check_in,
                "check_out": check_out,
                "guests": guests,
                "guest_name": f"Guest {len(reservations) + 1}",
                "guest_email": f"guest{len(reservations) + 1}@example.com",
                "guest_phone": "",
                "guest_message": "",
                "currency": prop.currency,
                "price_lines": quote.to_records(),
                "total_minor": quote.total.minor,
                "locale": "en",
                "status": ReservationStatus.CONFIRMED,
            }
        )
        day = check_out
    with write_transaction() as session:
        ids = session.scalars(
            insert(Reservation).returning(Reservation.id, sort_by_parameter_order=True),
            reservations,
        ).all()
        session.execute(
            insert(Night),
            [
                {"property_id": prop.id, "night": night, "reservation_id": reservation_id}
                for reservation_id, values in zip(ids, reservations, strict=True)
                for night in nights_of(values["check_in"], values["check_out"])
            ],
        )


def free_stay(folder: Path, database_url: str, slug: str, nights: int) -> tuple[date, date]:
    """The first stay of `nights` nights from a month ahead whose nights are all free."""
    app = create_app(app_config(folder, database_url))
    with app.app_context():
        prop = db.session.scalar(select(Property).filter_by(slug=slug))
        taken = set(db.session.scalars(select(Night.night).filter_by(property_id=prop.id)))
        check_in = prop.local_today() + timedelta(days=30)
        while any(night in taken for night in nights_of(check_in, check_in + timedelta(nights))):
            check_in += timedelta(days=1)
        db.session.remove()
        db.engine.dispose()
    return check_in, check_in + timedelta(days=nights)
