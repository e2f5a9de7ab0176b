"""The guest's cancel button asks first, with JavaScript off and on, and says the refund."""

import pytest
from playwright.sync_api import expect

from tests.helpers import GuestLink, reservations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("java_script", [False, True], ids=["without JS", "with JS"])
def test_the_guest_confirms_before_the_stay_is_cancelled(
    open_context, make_property, make_reservation, future, java_script
):
    prop = make_property(free_cancellation_days=14, late_refund_percent=50)
    reservation = make_reservation(prop, future(30), future(32))
    page = open_context(java_script_enabled=java_script).new_page()
    page.goto(GuestLink.of(reservation).page)
    expect(page.locator(".refund-now")).to_contain_text("If you cancel today, you are owed back")

    page.get_by_role("button", name="Cancel this reservation…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Cancel reservation {reservation.code}?"
    )
    assert reservations(code=reservation.code)[0].holds_nights
    page.get_by_role("button", name="Yes, cancel my reservation").click()

    expect(page.locator(".status")).to_have_text("Cancelled")
    assert not reservations(code=reservation.code)[0].holds_nights
