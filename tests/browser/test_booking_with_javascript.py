"""With JavaScript on, htmx swaps the calendar, the price and the form in place."""

import calendar
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import (
    GUEST_PAGE,
    count_rows,
    expected_total,
    fill_guest,
    fill_stay,
    wait_for_htmx,
    weekend_stay,
)

pytestmark = pytest.mark.browser


def test_next_month_swaps_in_the_calendar_and_replaces_its_url(page, place):
    first = place.local_today().replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    month = following.strftime("%Y-%m")
    page.goto(f"/properties/{place.slug}")
    expect(page.locator("#calendar caption")).to_have_text(first.strftime("%B %Y"))
    page.evaluate("window.sameDocument = true")
    entries = page.evaluate("history.length")

    with page.expect_request(f"**/calendar?month={month}") as request:
        page.get_by_role("link", name="Next month").click()

    assert request.value.headers.get("hx-request") == "true"
    expect(page.locator("#calendar caption")).to_have_text(following.strftime("%B %Y"))
    expect(page).to_have_url(re.compile(rf"/properties/{place.slug}/calendar\?month={month}$"))
    days = page.locator("#calendar [data-date]")
    expect(days).to_have_count(calendar.monthrange(following.year, following.month)[1])
    expect(days.first).to_have_attribute("data-date", f"{month}-01")
    expect(page.locator("#calendar")).to_have_count(1)
    assert page.evaluate("window.sameDocument") is True
    # Paging adds no history entry: Back leaves the page instead of unpaging it.
    assert page.evaluate("history.length") == entries

    # The URL is a whole page of its own, for a reload or a shared link.
    page.reload()
    expect(page.locator("#calendar caption")).to_have_text(following.strftime("%B %Y"))
    expect(page.locator("form#booking")).to_be_visible()


def test_a_guest_sees_the_price_books_and_cancels(page, place):
    check_in, check_out = weekend_stay(place)
    total = expected_total(place, check_in, check_out)
    page.goto(f"/properties/{place.slug}")
    page.evaluate("window.sameDocument = true")

    fill_stay(page, check_in, check_out, guests=3)

    price = page.locator("#quote [data-total]")
    expect(price).to_have_attribute("data-total", total)
    expect(price).to_have_attribute("data-currency", "USD")
    expect(price).to_have_text(f"${total}")
    assert page.evaluate("window.sameDocument") is True

    fill_guest(page)
    with page.expect_request(lambda r: r.method == "POST") as request:
        page.get_by_role("button", name="Reserve").click()
    page.wait_for_url(GUEST_PAGE)

    assert request.value.headers.get("hx-request") == "true"
    code = GUEST_PAGE.search(page.url)[1]
    expect(page.locator("[data-code]")).to_have_text(code)
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.locator("[data-total]")).to_have_attribute("data-total", total)
    expect(page.locator(".status")).to_have_text("Confirmed")

    page.get_by_role("button", name="Cancel this reservation").click()
    # The button asks first.
    page.get_by_role("button", name="Yes, cancel my reservation").click()

    expect(page.locator(".status")).to_have_text("Cancelled")
    expect(page).to_have_url(GUEST_PAGE)
    expect(page.get_by_role("button", name="Cancel this reservation")).to_have_count(0)


def test_nights_taken_before_reserving_show_a_message_in_the_form_and_store_nothing(
    page, place, make_reservation
):
    check_in, check_out = weekend_stay(place)
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, check_in, check_out)
    expect(page.locator("#quote [data-total]")).to_have_attribute(
        "data-total", expected_total(place, check_in, check_out)
    )
    wait_for_htmx(page)
    # Another guest takes the last two nights while this one types their name.
    taken = check_in + timedelta(days=1)
    make_reservation(place, taken, check_out + timedelta(days=2))
    fill_guest(page)

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Reserve").click()

    assert answer.value.status == 409
    problem = page.locator("#booking .problem")
    expect(problem).to_contain_text("already taken")
    expect(problem).to_contain_text(taken.isoformat())
    expect(page.locator("#quote [data-total]")).to_have_count(0)
    expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")
    expect(page.get_by_label("Check-in")).to_have_value(check_in.isoformat())
    expect(page).to_have_url(re.compile(rf"/properties/{place.slug}$"))
    assert count_rows("reservation") == 1
