"""A guest types a coupon code on the property page: the price shows it, the booking keeps it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from innkeeper.pricing.coupons import add_coupon
from innkeeper.pricing.services import Stay, price
from tests.helpers import GUEST_PAGE, fill_guest, fill_stay, wait_for_htmx, weekend_stay

pytestmark = pytest.mark.browser

COUPON_FIELD = "Coupon code (optional)"


@pytest.fixture
def discounted(place):
    """A weekend stay and its total less 10 % (the SPRING coupon)."""
    coupon = add_coupon("SPRING", percent_off=Decimal(10))
    check_in, check_out = weekend_stay(place)
    return check_in, check_out, str(price(place, Stay(check_in, check_out, 2), coupon).total)


def test_with_javascript_the_price_follows_the_code_typed(page, place, discounted):
    check_in, check_out, total = discounted
    page.goto(f"/properties/{place.slug}")
    page.evaluate("window.sameDocument = true")
    fill_stay(page, check_in, check_out)
    wait_for_htmx(page)
    coupon = page.get_by_label(COUPON_FIELD)

    coupon.fill("autumn")
    coupon.press("Tab")

    expect(page.locator("#quote .problem")).to_contain_text("There is no coupon AUTUMN")
    wait_for_htmx(page)

    coupon.fill("spring")
    coupon.press("Tab")

    expect(page.locator("#quote")).to_contain_text("Coupon SPRING (10%)")
    expect(page.locator("#quote [data-total]")).to_have_attribute("data-total", total)
    assert page.evaluate("window.sameDocument") is True
    fill_guest(page)

    page.get_by_role("button", name="Reserve").click()

    expect(page).to_have_url(GUEST_PAGE)
    expect(page.locator("[data-total]")).to_have_attribute("data-total", total)
    expect(page.get_by_text("Coupon SPRING (10%)")).to_be_visible()


def test_without_javascript_show_the_price_and_reserve_keep_the_code(
    open_context, place, discounted
):
    check_in, check_out, total = discounted
    page = open_context(java_script_enabled=False).new_page()
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, check_in, check_out)
    page.get_by_label(COUPON_FIELD).fill("spring")
    fill_guest(page)

    page.get_by_role("button", name="Show the price").click()

    expect(page).to_have_url(re.compile(rf"/properties/{place.slug}/quote$"))
    expect(page.locator("#quote")).to_contain_text("Coupon SPRING (10%)")
    expect(page.locator("#quote [data-total]")).to_have_attribute("data-total", total)
    expect(page.get_by_label(COUPON_FIELD)).to_have_value("spring")

    page.get_by_role("button", name="Reserve").click()

    expect(page).to_have_url(GUEST_PAGE)
    expect(page.locator("[data-total]")).to_have_attribute("data-total", total)
