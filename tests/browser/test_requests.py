"""In Chromium, with JavaScript on and off: a guest asks, the host follows the mailed link,
signs in, accepts one request and declines another; Back and Reserve again books once."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from innkeeper.database import write_transaction
from innkeeper.properties.models import BookingMode
from tests.browser.test_host_phone import PHONE, assert_fits_and_passes_axe
from tests.helpers import (
    AUTH_EMAIL,
    AUTH_PASSWORD,
    GUEST_PAGE,
    count_rows,
    fill_guest,
    fill_stay,
    outbox,
    weekend_stay,
)

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])


@pytest.fixture
def asking_place(place):
    with write_transaction() as session:
        session.add(place)
        place.booking_mode = BookingMode.REQUEST
    return place


def ask(page: Page, place, weeks_ahead: int, name: str, email: str) -> str:
    """The guest sends the booking form; returns the reservation code."""
    check_in, check_out = weekend_stay(place, weeks_ahead)
    page.goto(f"/properties/{place.slug}")
    expect(page.get_by_role("heading", name="Ask to stay")).to_be_visible()
    fill_stay(page, check_in, check_out)
    fill_guest(page, name=name, email=email)
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(GUEST_PAGE)
    expect(page.locator(".status")).to_have_text("Waiting for the host's answer")
    expect(page.locator(".request-note")).to_contain_text("The host answers by")
    return GUEST_PAGE.search(page.url)[1]


def mailed_link(code: str) -> str:
    """The path of the host page the request's mail to the host links to."""
    [message] = [m for m in outbox(kind="host_new_request") if code in m.subject]
    url = re.search(r"http://innkeeper\.test(/host/reservations/\S+)", message.text_body)[1]
    return urlsplit(url).path


@JS
def test_the_host_accepts_one_request_and_declines_another(
    open_context, auth, asking_place, java_script
):
    guest = open_context(java_script_enabled=java_script, **PHONE).new_page()
    accepted = ask(guest, asking_place, 3, "Grace Hopper", "grace@example.com")
    guest_page = guest.url
    assert_fits_and_passes_axe(guest, java_script)
    declined = ask(guest, asking_place, 5, "Alan Turing", "alan@example.com")

    host = open_context(java_script_enabled=java_script, **PHONE).new_page()
    # Signed out, the mailed link leads to the login, then to the request.
    host.goto(mailed_link(accepted))
    expect(host).to_have_url(re.compile(r"/host/login\?next="))
    host.get_by_label("E-mail").fill(AUTH_EMAIL)
    host.get_by_label("Password").fill(AUTH_PASSWORD)
    host.get_by_role("button", name="Sign in").click()
    expect(host).to_have_url(re.compile(rf"/host/reservations/{accepted}$"))
    expect(host.get_by_role("heading", name="This request waits for your answer")).to_be_visible()
    assert_fits_and_passes_axe(host, java_script)

    host.get_by_role("button", name="Accept").click()

    expect(host.get_by_role("status")).to_contain_text(f"{accepted} is accepted")
    expect(host.locator("[data-status]")).to_have_text("Confirmed")
    guest.goto(guest_page)
    expect(guest.locator(".status")).to_have_text("Confirmed")

    host.get_by_role("link", name="Reservations", exact=True).click()
    host.get_by_role("link", name="Requests").click()
    host.get_by_role("link", name=declined).click()
    host.get_by_role("link", name="Decline…").click()
    assert_fits_and_passes_axe(host, java_script)
    host.get_by_label("Reason, for the guest (optional)").fill("We are away that week.")
    host.get_by_role("button", name="Decline the request").click()

    expect(host.get_by_role("status")).to_contain_text(f"{declined} is declined")
    expect(host.locator("[data-status]")).to_have_text("Declined")
    [mail] = outbox(kind="request_declined")
    assert "We are away that week." in mail.text_body
    assert len(outbox(kind="confirmation")) == 1


@JS
def test_back_and_reserve_again_leads_to_the_same_reservation(open_context, place, java_script):
    page = open_context(java_script_enabled=java_script).new_page()
    check_in, check_out = weekend_stay(place)
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, check_in, check_out)
    fill_guest(page)
    page.get_by_role("button", name="Reserve").click()
    page.wait_for_url(GUEST_PAGE)
    first = page.url

    # Back: the browser may show the page it kept, or fetch it anew with a new key.
    page.go_back()
    expect(page.get_by_label("Your name")).to_have_value("Grace Hopper")
    page.get_by_role("button", name="Reserve").click()
    page.wait_for_url(GUEST_PAGE)

    assert page.url == first
    expect(page.locator(".status")).to_have_text("Confirmed")
    assert count_rows("reservation") == 1
    assert len(outbox(kind="confirmation")) == 1
