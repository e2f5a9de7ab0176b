"""With JavaScript off, every step is a plain link or form post and still works."""

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
    weekend_stay,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(open_context):
    return open_context(java_script_enabled=False).new_page()


def test_month_buttons_post_the_form_and_the_links_are_whole_pages(page, place):
    """Without JavaScript the month buttons submit the booking form (what the guest typed
    stays, out of the URL); the links htmx uses are hidden, but each is a whole page."""
    first = place.local_today().replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    page.goto(f"/properties/{place.slug}")
    expect(page.get_by_role("link", name="Next month")).to_have_count(0)

    with page.expect_request(re.compile(r"/month$")) as request:
        page.get_by_role("button", name="Next month").click()

    assert request.value.method == "POST" and "hx-request" not in request.value.headers
    expect(page.locator("#calendar caption")).to_have_text(following.strftime("%B %Y"))
    expect(page.locator("#calendar [data-date]").first).to_have_attribute(
        "data-date", f"{following:%Y-%m}-01"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(place.name)
    expect(page.locator("form#booking")).to_be_visible()

    page.get_by_role("button", name="Previous month").click()
    expect(page.locator("#calendar caption")).to_have_text(first.strftime("%B %Y"))

    href = page.locator("#calendar a.month-link").last.get_attribute("href")
    assert href == f"/properties/{place.slug}/calendar?month={following:%Y-%m}"
    page.goto(href)
    expect(page.locator("#calendar caption")).to_have_text(following.strftime("%B %Y"))
    expect(page.locator("form#booking")).to_be_visible()


def test_a_guest_sees_the_price_and_books_with_plain_forms(page, place):
    check_in, check_out = weekend_stay(place)
    total = expected_total(place, check_in, check_out)
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, check_in, check_out, guests=3)
    fill_guest(page)

    page.get_by_role("button", name="Show the price").click()

    expect(page).to_have_url(re.compile(rf"/properties/{place.slug}/quote$"))
    expect(page.locator("#quote [data-total]")).to_have_attribute("data-total", total)
    expect(page.get_by_label("Check-in")).to_have_value(check_in.isoformat())
    expect(page.get_by_label("Guests")).to_have_value("3")
    expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")
    assert "Grace" not in page.url, "the guest's details stay out of the URL"

    page.get_by_role("button", name="Reserve").click()

    expect(page).to_have_url(GUEST_PAGE)
    code = GUEST_PAGE.search(page.url)[1]
    expect(page.locator("[data-code]")).to_have_text(code)
    expect(page.locator("[data-total]")).to_have_attribute("data-total", total)
    expect(page.locator(".status")).to_have_text("Confirmed")

    page.get_by_role("button", name="Cancel this reservation").click()
    # The button asks first.
    page.get_by_role("button", name="Yes, cancel my reservation").click()

    expect(page.locator(".status")).to_have_text("Cancelled")


def test_too_many_guests_get_a_readable_price_answer(page, place):
    check_in, check_out = weekend_stay(place)
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, check_in, check_out, guests=place.max_guests + 1)

    with page.expect_response(re.compile(r"/quote$")) as answer:
        page.get_by_role("button", name="Show the price").click()

    assert answer.value.status == 422
    expect(page.locator("#quote .problem")).to_have_text(
        f"This place sleeps 1 to {place.max_guests} guests."
    )
    expect(page.get_by_label("Guests")).to_have_value(str(place.max_guests + 1))
    expect(page.get_by_label("Check-out")).to_have_value(check_out.isoformat())


def test_an_invalid_booking_shows_messages_beside_the_fields_it_keeps(page, place):
    today = place.local_today()
    yesterday = today - timedelta(days=1)
    page.goto(f"/properties/{place.slug}")
    # One night, starting in the past: both dates break a rule.
    fill_stay(page, yesterday, today, guests=2)
    fill_guest(page, name="Alan Turing", email="alan@example.com")
    page.get_by_label("Message to the host (optional)").fill("Arriving late.")

    with page.expect_response(re.compile(r"/reservations$")) as answer:
        page.get_by_role("button", name="Reserve").click()

    assert answer.value.status == 422
    check_in_field = page.locator(".field", has=page.get_by_label("Check-in"))
    expect(check_in_field.locator(".errors")).to_have_text(re.compile("cannot be in the past"))
    check_out_field = page.locator(".field", has=page.get_by_label("Check-out"))
    expect(check_out_field.locator(".errors")).to_have_text(
        f"This place takes stays of at least {place.min_nights} nights."
    )
    expect(page.get_by_label("Check-in")).to_have_attribute("aria-describedby", "check_in-errors")
    expect(page.get_by_label("Check-in")).to_have_value(yesterday.isoformat())
    expect(page.get_by_label("Check-out")).to_have_value(today.isoformat())
    expect(page.get_by_label("Guests")).to_have_value("2")
    expect(page.get_by_label("Your name")).to_have_value("Alan Turing")
    expect(page.get_by_label("E-mail")).to_have_value("alan@example.com")
    expect(page.get_by_label("Message to the host (optional)")).to_have_value("Arriving late.")
    assert count_rows("reservation") == 0
