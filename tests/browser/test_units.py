"""A guest on a phone, without JavaScript, chooses dates on an inn's page and finds a free room."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from innkeeper.photos.models import Photo
from tests.browser.test_accessibility import BLOCKING

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_guest_without_javascript_chooses_dates_and_sees_a_free_room(
    open_context, make_property, make_reservation
):
    inn = make_property(slug="old-inn", name="The Old Inn", currency="EUR")
    taken = make_property(slug="small-room", name="Small Room", parent_id=inn.id, max_guests=2)
    make_property(
        slug="large-room",
        name="Large Room",
        parent_id=inn.id,
        currency="EUR",
        nightly_rate_minor=12000,
        weekend_rate_minor=12000,
        cleaning_fee_minor=0,
        photos=[Photo(static_src="photos/seashell-house.svg", alt="", width=640, height=400)],
    )
    check_in = inn.local_today() + timedelta(days=14)
    make_reservation(taken, check_in, check_in + timedelta(days=2))
    page = open_context(viewport=PHONE, java_script_enabled=False).new_page()

    page.goto("/properties/old-inn")
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill((check_in + timedelta(days=3)).isoformat())
    page.get_by_label("Guests").fill("2")
    page.get_by_role("button", name="Show free rooms").click()

    free = page.locator('[data-unit="large-room"][data-free="true"]')
    expect(free.locator("[data-total]")).to_have_text("€360.00")
    expect(page.locator('[data-unit="small-room"][data-free="false"]')).to_be_visible()
    expect(free.get_by_role("link", name="Reserve Large Room")).to_be_visible()
    # axe runs as a script: the same page, as a browser with JavaScript shows it.
    checked = open_context(viewport=PHONE).new_page()
    checked.goto(page.url)
    assert checked.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = Axe().run(checked).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in BLOCKING]
