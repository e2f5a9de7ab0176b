"""Browser tests: Debian's Chromium, driven by Playwright, against gunicorn on SQLite."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from innkeeper.photos.models import Photo
from innkeeper.properties.models import Property
from tests.helpers import required

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


@pytest.fixture
def engine_name():
    """The pages are the same on either engine; one is enough for a browser."""
    return "sqlite"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium package"
        if required("INNKEEPER_REQUIRE_BROWSER"):
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
            Photo(static_src=src, alt=alt, position=i, width=640, height=400)
            for i, (src, alt) in enumerate(
                [
                    ("photos/seashell-house.svg", "The cottage seen from the dunes"),
                    ("photos/seashell-porch.svg", "The porch with two hammocks"),
                ]
            )
        ],
        timezone="UTC",
        nightly_rate_minor=10000,
        weekend_rate_minor=15000,
        cleaning_fee_minor=4000,
        min_nights=2,
        max_guests=4,
    )
