"""Browser tests: Debian's Chromium, driven by Playwright, against gunicorn on SQLite."""

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from innkeeper.extensions import db
from innkeeper.pricing.services import Stay, price
from innkeeper.properties.models import Property
from tests.conftest import count_rows

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow machine, short enough that a missing element fails fast.
TIMEOUT_MS = 10_000
THURSDAY = 3
# The guest's reservation page; group 1 is the code.
GUEST_PAGE = re.compile(r"/reservations/([A-Z0-9-]{6,})\?token=[^&]+$")


@pytest.fixture
def engine_name():
    """The pages are the same on either engine; one is enough for a browser."""
    return "sqlite"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("INNKEEPER_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser, live_server):
    """Open fresh browser contexts on the live site: open_context(java_script_enabled=False)."""
    contexts = []

    def open_(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context) -> Page:
    return open_context().new_page()


@pytest.fixture
def place(make_property) -> Property:
    """A property whose Friday and Saturday nights cost more, with a cleaning fee."""
    return make_property(
        slug="dune-cottage",
        name="Dune Cottage",
        description="A wooden cottage behind the dunes, ten minutes from the sea.",
        photos=[
            {"src": "photos/seashell-house.svg", "alt": "The cottage seen from the dunes"},
            {"src": "photos/seashell-porch.svg", "alt": "The porch with two hammocks"},
        ],
        timezone="UTC",
        nightly_rate_minor=10000,
        weekend_rate_minor=15000,
        cleaning_fee_minor=4000,
        min_nights=2,
        max_guests=4,
    )


def weekend_stay(prop: Property, weeks_ahead: int = 3) -> tuple[date, date]:
    """Thursday to Sunday some weeks ahead: one weekday night and two weekend nights."""
    today = prop.local_today()
    check_in = today + timedelta(days=7 * weeks_ahead + (THURSDAY - today.weekday()) % 7)
    return check_in, check_in + timedelta(days=3)


def expected_total(prop: Property, check_in: date, check_out: date) -> str:
    """The stay's price as data-total shows it."""
    return str(price(prop, Stay(check_in, check_out, 2)).total)


def fill_stay(page: Page, check_in: date, check_out: date, guests: int = 2) -> None:
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill(check_out.isoformat())
    page.get_by_label("Guests").fill(str(guests))


def fill_guest(page: Page, name: str = "Grace Hopper", email: str = "grace@example.com") -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has no request in flight and has wired up what it swapped in.

    htmx attaches its triggers to new content only after the settle delay, so a
    field filled at once after a swap would change before anything listens.
    """
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def stored(table: str) -> int:
    """Rows in `table` as the server left them, read in a fresh transaction."""
    db.session.rollback()
    return count_rows(table)
