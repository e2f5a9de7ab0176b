"""On a phone-sized screen the booking form fits and works."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import GUEST_PAGE, fill_guest, fill_stay, wait_for_htmx, weekend_stay

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 375, 740
FIELDS = [
    "Check-in",
    "Check-out",
    "Guests",
    "Your name",
    "E-mail",
    "Phone (optional)",
    "Message to the host (optional)",
]


@pytest.fixture
def page(open_context) -> Page:
    context = open_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    return context.new_page()


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    # A phone widens its layout viewport to fit content that overflows: check both.
    assert widths["scroll"] <= widths["inner"] == WIDTH, widths


def assert_on_screen(page: Page, control) -> None:
    control.scroll_into_view_if_needed()
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    assert box["height"] >= 24, box


def test_booking_form_is_usable_on_a_phone_without_horizontal_scroll(page, place):
    today = place.local_today()
    page.goto(f"/properties/{place.slug}")
    assert_no_horizontal_scroll(page)
    for label in FIELDS:
        assert_on_screen(page, page.get_by_label(label))
    for name in ["Show the price", "Reserve"]:
        assert_on_screen(page, page.get_by_role("button", name=name))

    fill_stay(page, today - timedelta(days=1), today)
    fill_guest(page)
    page.get_by_role("button", name="Reserve").click()
    expect(page.locator("#booking .errors").first).to_be_visible()
    wait_for_htmx(page)
    assert_no_horizontal_scroll(page)
    assert_on_screen(page, page.get_by_label("Check-in"))

    fill_stay(page, *weekend_stay(place))
    expect(page.locator("#quote [data-total]")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Reserve").click()
    page.wait_for_url(GUEST_PAGE)
    assert_no_horizontal_scroll(page)
    assert_on_screen(page, page.get_by_role("button", name="Cancel this reservation"))
