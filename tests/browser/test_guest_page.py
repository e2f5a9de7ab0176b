"""The guest's page on a phone, with JavaScript off and on: where the mail went, the stay's
calendar file, the link to keep, and "find my booking" from it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import GuestLink

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("java_script", [False, True], ids=["without JS", "with JS"])
def test_on_a_phone_the_guest_keeps_the_link_adds_the_stay_and_can_find_it_again(
    open_context, live_server, place, make_reservation, future, java_script
):
    reservation = make_reservation(place, future(20), future(23))
    link = GuestLink.of(reservation)
    context = open_context(java_script_enabled=java_script, viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(link.page)

    expect(page.locator("[data-sent-to]")).to_contain_text("ada@example.com")
    kept = page.get_by_label("The private link to this page")
    expect(kept).to_have_value(f"http://innkeeper.test{link.page}")
    expect(kept).to_have_attribute("readonly", "")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename == f"{reservation.code}.ics"
    assert b"BEGIN:VEVENT" in Path(download.value.path()).read_bytes()

    page.get_by_role("link", name="Find my booking").first.click()
    page.get_by_label("Reservation code").fill(reservation.code.lower())
    page.get_by_label("E-mail you booked with").fill("ADA@example.com")
    page.get_by_role("button", name="Mail me the link").click()
    expect(page.locator("[data-sent]")).to_contain_text("If a booking matches")
