"""Guest pages pass axe-core without serious or critical violations."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from innkeeper.properties.models import Property
from tests.helpers import GuestLink, fill_guest, fill_stay, weekend_stay

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def open_home(page: Page, place: Property, make_reservation) -> None:
    page.goto("/")
    expect(page.get_by_role("link", name=place.name)).to_be_visible()


def open_property(page: Page, place: Property, make_reservation) -> None:
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, *weekend_stay(place))
    expect(page.locator("#quote [data-total]")).to_be_visible()


def open_property_with_refused_form(page: Page, place: Property, make_reservation) -> None:
    today = place.local_today()
    page.goto(f"/properties/{place.slug}")
    fill_stay(page, today - timedelta(days=1), today)
    fill_guest(page)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Reserve").click()
    assert answer.value.status == 422
    expect(page.locator("#booking .errors").first).to_be_visible()


def open_reservation(page: Page, place: Property, make_reservation) -> None:
    page.goto(GuestLink.of(make_reservation(place, *weekend_stay(place))).page)
    expect(page.locator("[data-code]")).to_be_visible()


def open_find_booking_answered(page: Page, place: Property, make_reservation) -> None:
    page.goto("/reservations/find")
    page.get_by_label("Reservation code").fill("ZZZZ-ZZZZ")
    page.get_by_label("E-mail you booked with").fill("ada@example.com")
    page.get_by_role("button", name="Mail me the link").click()
    expect(page.locator("[data-sent]")).to_be_visible()


@pytest.mark.parametrize(
    "open_page",
    [
        open_home,
        open_property,
        open_property_with_refused_form,
        open_reservation,
        open_find_booking_answered,
    ],
    ids=["home", "property", "property-422", "reservation", "find-booking"],
)
def test_guest_page_has_no_serious_or_critical_axe_violations(
    page, place, make_reservation, open_page
):
    open_page(page, place, make_reservation)

    results = Axe().run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in blocking
    )
    assert not blocking, report
