"""The host runs the site from a phone: create a place, close nights, read the pages.

A 390 px viewport, with JavaScript on and off; no page scrolls sideways, and no page
has serious or critical axe-core violations.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Page, expect

from tests.helpers import AUTH_EMAIL, AUTH_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def app_overrides() -> dict:
    # The calendar followed below is served by the test server itself, on 127.0.0.1.
    return {"FEED_ALLOW_PRIVATE": True}


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
BLOCKING = {"serious", "critical"}


def sign_in(page: Page) -> None:
    page.goto("/host/login")
    page.get_by_label("E-mail").fill(AUTH_EMAIL)
    page.get_by_label("Password").fill(AUTH_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def assert_fits_and_passes_axe(page: Page, java_script: bool) -> None:
    """Measuring the layout and running axe-core need scripts: judged with JavaScript on."""
    if not java_script:
        return
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert not violations, [(v["id"], page.url) for v in violations]


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_host_creates_a_place_and_closes_nights_on_a_phone(open_context, auth, java_script):
    page = open_context(java_script_enabled=java_script, **PHONE).new_page()
    sign_in(page)
    assert_fits_and_passes_axe(page, java_script)

    page.get_by_role("link", name="Places").click()
    page.get_by_role("link", name="Add a place").click()
    page.get_by_label("Name", exact=True).fill("Fig Tree Cabin")
    page.get_by_label("Nightly rate").fill("90")
    page.get_by_label("Friday and Saturday rate").fill("110")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    assert_fits_and_passes_axe(page, java_script)
    page.get_by_role("button", name="Create the place").click()
    expect(page.get_by_role("status")).to_contain_text("Fig Tree Cabin was created.")
    assert page.url.endswith("/host/properties/fig-tree-cabin")

    page.get_by_role("link", name="Calendar", exact=True).click()
    assert_fits_and_passes_axe(page, java_script)
    # Two free days of next month: the first night, then the last.
    page.locator("a[rel=next]").click()
    page.wait_for_url("**month=*")
    page.locator("td.open a").nth(3).click()
    page.wait_for_url("**start=*")
    page.locator("td.open a").nth(5).click()
    page.wait_for_url("**end=*")
    expect(page.locator("td.chosen")).to_have_count(3)
    page.get_by_label("Note (only hosts see it)").fill("Painting")
    page.get_by_role("button", name="Close these nights").click()
    expect(page.get_by_role("status")).to_contain_text("Closed from")
    expect(page.locator("td.block")).to_have_count(3)
    expect(page.locator("ul.holdings")).to_contain_text("Painting")
    assert_fits_and_passes_axe(page, java_script)

    for link in ("Mail", "Activity", "Dashboard"):
        page.get_by_role("link", name=link, exact=True).click()
        assert_fits_and_passes_axe(page, java_script)
    expect(page.get_by_role("main")).to_contain_text("Fig Tree Cabin")


def jpeg(tmp_path) -> str:
    path = tmp_path / "terrace.jpg"
    Image.new("RGB", (1600, 1000), (200, 120, 60)).save(path, "JPEG")
    return str(path)


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_host_adds_a_photo_a_calendar_and_a_co_host_on_a_phone(
    open_context, auth, place, make_property, tmp_path, java_script
):
    page = open_context(java_script_enabled=java_script, **PHONE).new_page()
    sign_in(page)

    page.goto(f"/host/properties/{place.slug}")
    page.locator("#photos a.button").click()
    page.get_by_label("Photo", exact=True).set_input_files(jpeg(tmp_path))
    page.get_by_label("What the photo shows").fill("The terrace at sunset")
    assert_fits_and_passes_axe(page, java_script)
    page.get_by_role("button", name="Upload the photo").click()
    expect(page.get_by_role("status")).to_contain_text("added")
    expect(page.locator("#photos img[alt='The terrace at sunset']")).to_have_count(1)
    assert_fits_and_passes_axe(page, java_script)

    page.goto(f"/host/properties/{place.slug}")
    page.get_by_role("link", name="Other sites' calendars").click()
    # The site's own feed of another place stands in for the other site's.
    other = make_property(slug="loft")
    page.get_by_label("Calendar link").fill(
        page.url.split("/host/")[0] + f"/properties/{other.slug}/calendar.ics"
    )
    page.get_by_label("Name (optional)").fill("Airbnb")
    page.get_by_role("button", name="Add the calendar").click()
    expect(page.get_by_role("status")).to_contain_text("Airbnb is added")
    expect(page.get_by_role("heading", name="Airbnb")).to_be_visible()
    assert_fits_and_passes_axe(page, java_script)

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Site name").fill("Casa Marina")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("status")).to_contain_text("The settings are saved.")
    page.get_by_label("E-mail").fill("luis@casamarina.example")
    page.get_by_label("First password").fill("a second long password")
    page.get_by_role("button", name="Add the co-host").click()
    expect(page.get_by_role("status")).to_contain_text("luis@casamarina.example can sign in")
    expect(page.locator(".brand")).to_contain_text("Casa Marina")
    assert_fits_and_passes_axe(page, java_script)
