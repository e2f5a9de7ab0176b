"""The htmx features work under the site's Content-Security-Policy, with nothing refused."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import GUEST_PAGE, fill_guest, fill_stay, wait_for_htmx, weekend_stay

pytestmark = pytest.mark.browser

# htmx reports a failed swap by events, not on the console: say them there too.
REPORT_HTMX_ERRORS = """
for (const name of ["targetError", "swapError", "sendError", "responseError", "onLoadError"]) {
  document.addEventListener("htmx:" + name, () => console.error("htmx error: " + name));
}
"""


def test_htmx_features_cause_no_content_security_policy_violation(page, place):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    page.add_init_script(REPORT_HTMX_ERRORS)
    today = place.local_today()
    check_in, check_out = weekend_stay(place)

    page.goto(f"/properties/{place.slug}")
    page.get_by_role("link", name="Next month").click()
    expect(page).to_have_url(re.compile(r"/calendar\?month="))
    fill_stay(page, today - timedelta(days=1), today)
    fill_guest(page)
    page.get_by_role("button", name="Reserve").click()
    expect(page.locator("#booking .errors").first).to_be_visible()
    wait_for_htmx(page)
    fill_stay(page, check_in, check_out)
    expect(page.locator("#quote [data-total]")).to_be_visible()
    wait_for_htmx(page)
    with page.expect_response(re.compile(r"/quote\?")) as answer:
        page.get_by_role("button", name="Show the price").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#quote [data-total]")).to_be_visible()
    page.get_by_role("button", name="Reserve").click()
    page.wait_for_url(GUEST_PAGE)
    page.get_by_role("button", name="Cancel this reservation").click()
    page.get_by_role("button", name="Yes, cancel my reservation").click()
    expect(page.locator(".status")).to_have_text("Cancelled")

    refused = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not refused
    problems = [m for m in messages if m.startswith(("htmx error", "uncaught"))]
    assert not problems
