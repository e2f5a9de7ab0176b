"""The calendar as a date-range picker: mouse and keyboard, its refusals, focus and paging."""

import re
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from innkeeper.pricing.services import Stay, price
from tests.helpers import expected_total, wait_for_htmx

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = {"serious", "critical"}


def next_month(place) -> date:
    return (place.local_today().replace(day=1) + timedelta(days=32)).replace(day=1)


def day(page: Page, when: date):
    return page.locator(f'#calendar td[data-date="{when.isoformat()}"]')


def open_month(page: Page, place, first: date) -> None:
    page.goto(f"/properties/{place.slug}?month={first:%Y-%m}")
    expect(page.locator("#calendar[data-picker]")).to_have_count(1)
    wait_for_htmx(page)


def assert_no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_two_clicks_fill_the_dates_show_the_quote_and_a_third_starts_again(
    open_context, place, viewport
):
    page = open_context(viewport=viewport).new_page()
    first = next_month(place)
    check_in, check_out = first + timedelta(days=9), first + timedelta(days=12)
    open_month(page, place, first)

    day(page, check_in).click()
    expect(page.get_by_label("Check-in")).to_have_value(check_in.isoformat())
    expect(page.get_by_label("Check-out")).to_have_value("")
    expect(page.locator("#picker-status")).to_contain_text("Check-in")
    day(page, check_out).click()

    expect(page.get_by_label("Check-out")).to_have_value(check_out.isoformat())
    expect(page.locator("#quote [data-total]")).to_have_attribute(
        "data-total", expected_total(place, check_in, check_out)
    )
    expect(day(page, check_in)).to_have_attribute("aria-selected", "true")
    expect(day(page, check_out)).to_have_attribute("aria-selected", "true")
    expect(day(page, check_in + timedelta(days=1))).to_have_class(re.compile(r"\bin-range\b"))
    expect(page.locator("#picker-status")).to_contain_text("From")

    again = check_out + timedelta(days=2)
    day(page, again).click()
    expect(page.get_by_label("Check-in")).to_have_value(again.isoformat())
    expect(page.get_by_label("Check-out")).to_have_value("")
    expect(page.locator("#calendar .in-range")).to_have_count(0)
    assert_no_sideways_scroll(page)


def test_the_keyboard_alone_picks_the_dates(page, place):
    first = next_month(place)
    open_month(page, place, first)
    # One tab stop in the grid: Tab from the month links lands on a day.
    page.locator("#calendar .month-link").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.date") == first.isoformat()
    assert page.locator('#calendar td[tabindex="0"]').count() == 1
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    start = first + timedelta(days=14)
    monday = start - timedelta(days=start.weekday())
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.dataset.date") == monday.isoformat()
    page.keyboard.press("End")
    assert (
        page.evaluate("document.activeElement.dataset.date")
        == (monday + timedelta(days=6)).isoformat()
    )
    for key in ["Home", *["ArrowRight"] * start.weekday(), "ArrowUp", "ArrowDown"]:
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.dataset.date") == start.isoformat()
    assert page.locator('#calendar td[tabindex="0"]').count() == 1
    page.keyboard.press("Enter")
    expect(page.get_by_label("Check-in")).to_have_value(start.isoformat())
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")

    check_out = start + timedelta(days=3)
    expect(page.get_by_label("Check-out")).to_have_value(check_out.isoformat())
    expect(page.locator("#quote [data-total]")).to_have_attribute(
        "data-total", expected_total(place, start, check_out)
    )
    expect(page.locator("#quote")).to_have_attribute("aria-live", "polite")


def test_page_down_pages_and_keeps_focus_on_the_same_date(open_context, place):
    page = open_context(viewport=PHONE).new_page()
    first = next_month(place)
    open_month(page, place, first)
    entries = page.evaluate("history.length")
    day(page, first + timedelta(days=14)).focus()

    page.keyboard.press("PageDown")

    following = (first + timedelta(days=32)).replace(day=1)
    expect(page.locator("#calendar caption").first).to_have_text(following.strftime("%B %Y"))
    target = following + timedelta(days=14)
    expect(page.locator(f'td[data-date="{target.isoformat()}"]')).to_be_focused()
    assert page.evaluate("history.length") == entries
    page.keyboard.press("Enter")
    expect(page.get_by_label("Check-in")).to_have_value(target.isoformat())


def test_a_month_link_keeps_focus_and_back_leaves_the_page(page, place):
    page.goto("/")
    page.goto(f"/properties/{place.slug}")
    wait_for_htmx(page)
    entries = page.evaluate("history.length")
    link = page.get_by_role("link", name=re.compile("^Next month"))
    link.focus()
    page.keyboard.press("Enter")
    first = next_month(place)
    expect(page.locator("#calendar caption").first).to_have_text(first.strftime("%B %Y"))
    expect(page.get_by_role("link", name=re.compile("^Next month"))).to_be_focused()
    page.keyboard.press("Enter")
    wait_for_htmx(page)
    assert page.evaluate("history.length") == entries

    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))


def test_nights_too_short_or_taken_cannot_be_chosen(page, place, make_reservation):
    first = next_month(place)
    # Nights 10 and 11 taken: the 10th can only end a stay; with two nights minimum, the
    # 9th can start none; a stay from the 5th cannot run past the 10th.
    taken_from = first + timedelta(days=9)
    make_reservation(place, taken_from, taken_from + timedelta(days=2))
    open_month(page, place, first)
    expect(page.locator("#calendar .min-stay")).to_have_text("2 nights minimum")
    expect(day(page, taken_from)).to_have_attribute("data-available", "false")
    expect(day(page, taken_from)).to_contain_text("check-out only")
    expect(day(page, taken_from + timedelta(days=1))).to_contain_text("not available")
    expect(day(page, taken_from - timedelta(days=1))).to_contain_text("check-out only")

    day(page, taken_from).click()  # cannot start a stay
    expect(page.get_by_label("Check-in")).to_have_value("")
    day(page, taken_from - timedelta(days=1)).click()  # one night before a taken one
    expect(page.get_by_label("Check-in")).to_have_value("")

    check_in = first + timedelta(days=4)
    day(page, check_in).click()
    expect(page.get_by_label("Check-in")).to_have_value(check_in.isoformat())
    day(page, check_in + timedelta(days=1)).click()  # one night: too short
    expect(page.get_by_label("Check-out")).to_have_value("")
    expect(page.locator("#picker-status")).to_contain_text("2 nights minimum")
    expect(day(page, check_in + timedelta(days=1))).to_contain_text("cannot be the check-out day")
    # Past the taken nights no stay from the 5th can end: the day begins a new one.
    day(page, taken_from + timedelta(days=3)).click()
    expect(page.get_by_label("Check-out")).to_have_value("")
    restart = taken_from + timedelta(days=3)
    expect(page.get_by_label("Check-in")).to_have_value(restart.isoformat())

    day(page, check_in).click()
    day(page, taken_from).click()  # the first taken night's day may end the stay
    expect(page.get_by_label("Check-out")).to_have_value(taken_from.isoformat())
    expect(page.locator("#quote [data-total]")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_without_javascript_month_buttons_and_the_price_keep_every_field(
    open_context, place, viewport
):
    page = open_context(java_script_enabled=False, viewport=viewport).new_page()
    first = next_month(place)
    check_in, check_out = first + timedelta(days=9), first + timedelta(days=12)
    typed = {
        "Check-in": check_in.isoformat(),
        "Check-out": check_out.isoformat(),
        "Guests": "3",
        "Coupon code (optional)": "",
        "Your name": "Grace Hopper",
        "E-mail": "grace@example.com",
        "Phone": "+1 555 0100",
        "Message": "We arrive late.",
    }
    page.goto(f"/properties/{place.slug}")
    expect(page.locator("#calendar td time").first).to_have_text("1")
    assert page.locator("#calendar [tabindex], #calendar [role=grid]").count() == 0
    for label, value in typed.items():
        page.get_by_label(label).fill(value)

    page.get_by_role("button", name=re.compile("^Next month")).click()

    expect(page.locator("#calendar caption").first).to_have_text(first.strftime("%B %Y"))
    assert "Grace" not in page.url and "grace" not in page.url
    for label, value in typed.items():
        expect(page.get_by_label(label)).to_have_value(value)

    page.get_by_role("button", name=re.compile("^Previous month")).click()
    page.get_by_role("button", name="Show the price").click()

    expect(page.locator("#quote [data-total]")).to_have_attribute(
        "data-total", str(price(place, Stay(check_in, check_out, 3)).total)
    )
    for label, value in typed.items():
        expect(page.get_by_label(label)).to_have_value(value)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_picker_and_widget_have_no_serious_or_critical_axe_violations(
    open_context, place, make_reservation, viewport
):
    page = open_context(viewport=viewport).new_page()
    first = next_month(place)
    make_reservation(place, first + timedelta(days=2), first + timedelta(days=4))
    for url in (f"/properties/{place.slug}", f"/properties/{place.slug}/embed"):
        page.goto(f"{url}?month={first:%Y-%m}")
        expect(page.locator("#calendar[data-picker]")).to_have_count(1)
        day(page, first + timedelta(days=9)).click()
        day(page, first + timedelta(days=10)).click()  # refused: too short
        # The photo strip scrolls sideways on a phone: the page's layout, not the calendar.
        results = Axe().run(page, context={"exclude": [[".photos"]]})
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        assert not blocking, [(v["id"], [n["target"] for n in v["nodes"]]) for v in blocking]
        assert_no_sideways_scroll(page)
