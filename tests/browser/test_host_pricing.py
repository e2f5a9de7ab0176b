"""The host's "Prices and rules" page on a phone, with JavaScript off: it fits and it works."""

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import AUTH_EMAIL, AUTH_PASSWORD

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def page(open_context, auth) -> Page:
    context = open_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/host/login")
    page.get_by_label("E-mail").fill(AUTH_EMAIL)
    page.get_by_label("Password").fill(AUTH_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/host/")
    return page


def assert_fits(page: Page) -> None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] == WIDTH, widths


def test_a_host_adds_a_season_and_sets_a_discount_on_a_phone(page, place):
    page.goto(f"/host/properties/{place.slug}")
    page.get_by_role("link", name="Prices and rules").click()
    assert_fits(page)

    page.get_by_label("Weekly discount (%)").fill("10")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_role("status")).to_contain_text("are saved")
    expect(page.get_by_label("Weekly discount (%)")).to_have_value("10")

    page.get_by_label("First night").fill("2031-07-01")
    page.get_by_label("Ends on").fill("2031-06-01")
    page.get_by_label("Nightly rate").fill("180")
    page.get_by_role("button", name="Add the season").click()
    expect(page.locator("#end-errors")).to_contain_text("must end after its first night")
    assert_fits(page)

    page.get_by_label("Ends on").fill("2031-09-01")
    page.get_by_role("button", name="Add the season").click()
    row = page.locator("#seasons tbody tr")
    expect(row).to_contain_text("$180.00")
    assert_fits(page)
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box

    row.get_by_role("link", name="Remove…").click()
    page.get_by_role("button", name="Remove the season").click()
    expect(page.get_by_text("No seasons yet")).to_be_visible()
