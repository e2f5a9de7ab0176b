"""Plain helpers the tests import: settings, forms, links, lookups, feeds and browser steps.

Fixtures live in the conftest files; everything a test calls by name lives here.
"""

import io
import json
import os
import re
import socket
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import select, text

from innkeeper import create_app
from innkeeper.availability.models import Block, Night
from innkeeper.config import PROJECT_ROOT
from innkeeper.extensions import db
from innkeeper.mail.models import OutboxMessage
from innkeeper.pricing.services import Stay, price
from innkeeper.properties.models import Property
from innkeeper.reservations.models import Reservation

if TYPE_CHECKING:
    from playwright.sync_api import Page

# --- settings and databases ---------------------------------------------------------

POSTGRES_ADMIN_URL = os.environ.get(
    "INNKEEPER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET_KEY = "test-secret-key"
ENGINES = ["sqlite", "postgresql"]


def required(name: str) -> bool:
    """Whether CI demands what the variable names (PostgreSQL, the browser): fail, not skip."""
    return os.environ.get(name) == "1"


def compile_catalogues() -> None:
    """Compile each translations/*/LC_MESSAGES/messages.po whose .mo is missing or older, as
    `make test` does with pybabel, so that pytest alone serves every language too."""
    for po_path in (PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parents[1].name)
        draft = mo_path.with_name(f".messages.{os.getpid()}.mo")
        with draft.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        draft.replace(mo_path)  # whole or not at all, for a server reading it meanwhile


def base_config(tmp_path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET_KEY,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": "http://innkeeper.test",
        "MAIL_SERVER": None,
        "MAIL_DEFAULT_SENDER": "stays@innkeeper.test",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def migrate_database(tmp_path, database_url: str) -> None:
    """Build the schema with the project's migrations, as `flask db upgrade` does."""
    app = create_app(base_config(tmp_path, database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def count_rows(table: str) -> int:
    db.session.rollback()  # end any earlier snapshot: see what requests committed since
    return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def database_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a fresh transaction: compare two to see any change."""
    db.session.rollback()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(select(table))), key=repr)
        for table in db.metadata.sorted_tables
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- clients and servers --------------------------------------------------------------


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context (own `g`, own session), as under a server."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class LiveServer:
    def __init__(self, url: str, process):
        self.url = url
        self.process = process


# --- forms ----------------------------------------------------------------------------

HX = {"HX-Request": "true"}
CSRF_PATTERN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def hidden_value(html: str, name: str) -> str:
    """The value of a hidden field of the form in `html`."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"page has no hidden {name}"
    return match.group(1)


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def booking_form(check_in: date | str, check_out: date | str, guests: int = 2, **fields) -> dict:
    """The booking form's fields as a guest fills them; `fields` adds or replaces any."""
    return {
        "check_in": str(check_in),
        "check_out": str(check_out),
        "guests": str(guests),
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        **fields,
    }


# --- hosts ----------------------------------------------------------------------------

# The account the `auth` fixture creates.
AUTH_EMAIL = "host@example.com"
AUTH_PASSWORD = "correct horse battery"


def login(client, email: str, password: str):
    """Fill in and send the host login form, CSRF token and all; returns the response."""
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    return client.post(
        "/host/login", data={"csrf_token": token, "email": email, "password": password}
    )


def logout(client):
    """Press the sign-out button; returns the response."""
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    return client.post("/host/logout", data={"csrf_token": token})


def redirect_target(location: str) -> tuple[str, list[str]]:
    """A redirect's path and its `next` parameters."""
    url = urlsplit(location)
    return url.path, parse_qs(url.query).get("next", [])


@dataclass
class HostAuth:
    """A host account, signed in and out through the real login form of `client`."""

    client: FlaskClient
    email: str
    password: str

    def login(self):
        response = login(self.client, self.email, self.password)
        assert response.status_code == 303, f"{self.email} could not sign in"
        return response

    def logout(self):
        response = logout(self.client)
        assert response.status_code == 303
        return response

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a host form with the session's CSRF token, as the host's browser would."""
        token = csrf_token_from(self.client.get("/host/").get_data(as_text=True))
        return self.client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


# --- reservations ---------------------------------------------------------------------

# The guest's private link: the reservation code and its token.
GUEST_PAGE = re.compile(r"/reservations/([A-Z0-9-]{6,})\?token=([0-9a-f]{64})$")


@dataclass(frozen=True)
class GuestLink:
    """What the guest's private link holds: the reservation code and its token."""

    code: str
    token: str

    @classmethod
    def of(cls, reservation: Reservation) -> "GuestLink":
        return cls(reservation.code, reservation.guest_token())

    @classmethod
    def parse(cls, url: str) -> "GuestLink":
        match = GUEST_PAGE.search(url)
        assert match, f"not a guest's reservation link: {url}"
        return cls(match[1], match[2])

    @property
    def page(self) -> str:
        return f"/reservations/{self.code}?token={self.token}"

    @property
    def cancel_url(self) -> str:
        return f"/reservations/{self.code}/cancel"


def booked(response) -> GuestLink:
    """The guest's link a successful booking form redirected to (303)."""
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert GUEST_PAGE.fullmatch(location), location
    return GuestLink.parse(location)


def cancel_form(client, link: GuestLink) -> dict:
    """The cancel button's form as the guest's page holds it (CSRF token and link token)."""
    page = client.get(link.page)
    assert page.status_code == 200, page.status_code
    return {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "token": link.token}


def reservations(**filters) -> list[Reservation]:
    """The reservations as stored now, oldest first."""
    db.session.rollback()  # a fresh snapshot: what the requests committed
    query = select(Reservation).filter_by(**filters).order_by(Reservation.id)
    return list(db.session.scalars(query))


def two_workers_at_once(app_config: dict) -> None:
    """Two `jobs run --once` processes on the test database at the same time, on the real
    clock; both must exit 0."""
    env = {**os.environ, "INNKEEPER_TEST_CONFIG": json.dumps(app_config)}
    command = [sys.executable, "-m", "flask", "--app", "tests.live_app", "jobs", "run", "--once"]
    workers = [subprocess.Popen(command, cwd=PROJECT_ROOT, env=env) for _ in range(2)]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]


def outbox(**filters) -> list[OutboxMessage]:
    """The outbox rows as they are now, oldest first."""
    # End the test's read transaction: the worker wrote in a session of its own.
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).filter_by(**filters).order_by("id")))


def parts(message: EmailMessage) -> dict[str, list[EmailMessage]]:
    """The message's leaf parts by content type."""
    found: dict[str, list[EmailMessage]] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


# --- prices ---------------------------------------------------------------------------


def unsaved_seashell_house(**overrides) -> Property:
    """Seashell House as the demo has it, unsaved: priced and judged without a database."""
    values = {
        "slug": "seashell-house",
        "name": "Seashell House",
        "currency": "USD",
        "timezone": "America/Cancun",
        "nightly_rate_minor": 12000,
        "weekend_rate_minor": 15000,
        "cleaning_fee_minor": 4000,
        "min_nights": 2,
        "max_nights": 30,
        "max_guests": 4,
        # The rules' defaults, which a place takes when it is first saved.
        "weekly_discount_millipercent": 0,
        "monthly_discount_millipercent": 0,
        "guests_included": 2,
        "extra_guest_fee_minor": 0,
        "tax_millipercent": 0,
        "tourist_tax_minor": 0,
        "advance_notice_days": 0,
        "booking_horizon_days": 365,
        "preparation_days": 0,
    }
    return Property(**{**values, **overrides})


# --- calendars and quotes -------------------------------------------------------------

DAY_PATTERN = re.compile(r'data-date="(\d{4}-\d{2}-\d{2})" data-available="(true|false)"')


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def days_in(html: str) -> dict[str, bool]:
    """The calendar's days, as ISO dates, and whether each is bookable."""
    return {day: available == "true" for day, available in DAY_PATTERN.findall(html)}


def calendar_availability(client, prop, day: date) -> bool:
    """Whether the month calendar fragment shows `day` as bookable."""
    response = client.get(f"/properties/{prop.slug}/calendar?month={month_of(day)}", headers=HX)
    assert response.status_code == 200
    return days_in(response.get_data(as_text=True))[day.isoformat()]


def quote_url(prop, check_in, check_out, guests=2) -> str:
    return (
        f"/properties/{prop.slug}/quote?check_in={check_in}&check_out={check_out}&guests={guests}"
    )


def quote_status(client, prop, check_in: date, check_out: date) -> int:
    return client.get(quote_url(prop, check_in, check_out)).status_code


def taken(prop) -> dict[date, str]:
    """Every taken night of the property and what holds it: "reservation" or "block"."""
    rows = db.session.execute(
        select(Night.night, Night.reservation_id).where(Night.property_id == prop.id)
    )
    return {row.night: "reservation" if row.reservation_id else "block" for row in rows}


def blocks(prop) -> list[tuple]:
    """The property's blocks as comparable tuples."""
    rows = db.session.scalars(select(Block).filter_by(property_id=prop.id).order_by(Block.id))
    return [(b.id, b.feed_id, b.uid, b.start_date, b.end_date, b.note) for b in rows]


# --- other sites' feeds ---------------------------------------------------------------


def ics(*events: str) -> bytes:
    """A calendar as another site would serve it, with these VEVENT blocks."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other site//Feed//EN", *events]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def vevent(uid: str, *lines: str) -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"]
    )


def ical_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def all_day(uid: str, first_night: date, check_out: date, *lines: str) -> str:
    """An all-day event the way Airbnb and Booking.com write them: DTEND is the check-out day."""
    return vevent(
        uid,
        f"DTSTART;VALUE=DATE:{ical_date(first_night)}",
        f"DTEND;VALUE=DATE:{ical_date(check_out)}",
        *(lines or ["SUMMARY:Reserved"]),
    )


# --- the browser ----------------------------------------------------------------------

THURSDAY = 3


def weekend_stay(prop: Property, weeks_ahead: int = 3) -> tuple[date, date]:
    """Thursday to Sunday some weeks ahead: one weekday night and two weekend nights."""
    today = prop.local_today()
    check_in = today + timedelta(days=7 * weeks_ahead + (THURSDAY - today.weekday()) % 7)
    return check_in, check_in + timedelta(days=3)


def expected_total(prop: Property, check_in: date, check_out: date) -> str:
    """The stay's price as data-total shows it."""
    return str(price(prop, Stay(check_in, check_out, 2)).total)


def fill_stay(page: "Page", check_in: date, check_out: date, guests: int = 2) -> None:
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill(check_out.isoformat())
    page.get_by_label("Guests").fill(str(guests))


def fill_guest(page: "Page", name: str = "Grace Hopper", email: str = "grace@example.com") -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)


def wait_for_htmx(page: "Page") -> None:
    """Wait until htmx has no request in flight and has wired up what it swapped in.

    htmx attaches its triggers to new content only after the settle delay, so a
    field filled at once after a swap would change before anything listens.
    """
    from playwright.sync_api import expect  # only the browser tests load Playwright

    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


# --- photos ---------------------------------------------------------------------------

ORIENTATION, GPS_IFD = 0x0112, 0x8825
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def picture(fmt: str = "JPEG", size=(1200, 800), exif=None, mode="RGB") -> bytes:
    """A picture made here: left half red, right half blue, so a turn shows."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def camera_exif():
    """EXIF as a phone writes it: turned on its side (Orientation 6) and where it was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    return exif


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header says it is `width` by `height`: a decompression bomb's header."""
    data = bytearray(picture("PNG", size=(1, 1)))
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def photo_form(data: bytes, alt: str = "The porch with two hammocks", name="photo.jpg", **more):
    """The upload form's fields as the host's browser sends them."""
    return {"photo": (io.BytesIO(data), name), "alt": alt, **more}


def fetched(client, url: str, **kwargs):
    """GET a file the site streams, read it whole and close it, as a browser would."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


# --- payments -------------------------------------------------------------------------


def figure(html: str, name: str) -> str:
    """The amount a page shows for `name` (total, paid, owed, refund-owed…)."""
    match = re.search(rf'data-money="{name}" data-amount="([^"]+)"', html)
    assert match, f"the page shows no {name}"
    return match.group(1)


def instalments(html: str) -> list[tuple[str, str, str]]:
    """(kind, due date, amount) of each part of the schedule the page shows."""
    return re.findall(r'data-instalment="(\w+)" data-due="([\d-]+)" data-amount="([^"]+)"', html)
