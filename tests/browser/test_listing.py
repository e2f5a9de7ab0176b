"""The property page as a listing: the photo gallery and its full-screen view, the summary
bar on a phone, the sticky booking panel on a wide screen, amenities with their icons."""

import re

import pytest
from playwright.sync_api import Page, expect

from innkeeper.photos.models import Photo

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def listing(make_property):
    """A place with every listing field filled and six photos, more than the grid shows."""
    return make_property(
        slug="harbour-flat",
        name="Harbour Flat",
        description="Two rooms above the fish market.",
        area="Ribeira, Porto",
        amenities=["wifi", "kitchen", "sea_view", "step_free"],
        house_rules="No smoking.",
        photos=[
            Photo(
                static_src="photos/seashell-house.svg",
                alt=f"View {i}",
                position=i,
                width=640,
                height=400,
            )
            for i in range(1, 7)
        ],
        timezone="UTC",
        nightly_rate_minor=9000,
        weekend_rate_minor=9000,
        min_nights=2,
        max_guests=3,
    )


def open_page(open_context, listing, **options) -> Page:
    page = open_context(**options).new_page()
    page.goto(f"/properties/{listing.slug}")
    return page


def viewer(page: Page, number: int):
    return page.locator(f"#photo-{number}")


def test_photos_open_full_screen_page_with_the_arrows_and_close_with_escape(open_context, listing):
    page = open_page(open_context, listing, **DESKTOP)
    expect(viewer(page, 1)).to_be_hidden()
    page.get_by_role("link", name="View 2").click()

    expect(viewer(page, 2)).to_be_visible()
    expect(viewer(page, 2).get_by_role("link", name="Close the photos")).to_be_focused()
    box = viewer(page, 2).bounding_box()
    assert (box["width"], box["height"]) == (1280, 800)
    page.keyboard.press("ArrowRight")
    expect(viewer(page, 3)).to_be_visible()
    expect(viewer(page, 2)).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(viewer(page, 1)).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(viewer(page, 6)).to_be_visible()

    page.keyboard.press("Escape")
    expect(page.locator(".lightbox:target")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/properties/{listing.slug}$"))
    expect(page.get_by_role("link", name="View 2")).to_be_focused()
    # Paging through the photos left no history behind: Back leaves the page.
    page.go_back()
    expect(page).not_to_have_url(re.compile(listing.slug))


def test_photos_open_and_page_through_as_plain_links_without_javascript(open_context, listing):
    page = open_page(open_context, listing, java_script_enabled=False, **PHONE)
    page.get_by_role("link", name="Show all 6 photos").click()
    expect(viewer(page, 1)).to_be_visible()
    viewer(page, 1).get_by_role("link", name="Next photo").click()
    expect(viewer(page, 2)).to_be_visible()
    expect(viewer(page, 2).get_by_role("img", name="View 2")).to_be_visible()
    viewer(page, 2).get_by_role("link", name="Close the photos").click()
    expect(page.locator(".lightbox:target")).to_have_count(0)
    expect(page.locator("#gallery")).to_be_visible()


def test_photos_swipe_sideways_on_a_phone_and_the_page_does_not(open_context, listing):
    page = open_page(open_context, listing, **PHONE)
    strip = page.locator(".gallery-grid")
    sizes = strip.evaluate(
        "e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).scrollSnapType]"
    )
    assert sizes[0] == 6 * sizes[1] and sizes[2].startswith("x mandatory"), sizes
    widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert widths == [390, 390]


def test_a_phone_keeps_the_price_in_view_and_jumps_to_the_form(open_context, listing):
    page = open_page(open_context, listing, **PHONE)
    bar = page.locator(".summary-bar")
    expect(bar).to_contain_text("From $90.00 a night")
    box = bar.bounding_box()
    # Stuck to the bottom of the screen while the guest reads the listing.
    assert abs(box["y"] + box["height"] - 844) <= 1, box
    bar.get_by_role("link", name="Check availability").click()
    expect(page).to_have_url(re.compile("#booking$"))
    expect(page.get_by_label("Check-in")).to_be_in_viewport()
    # Once the form is reached the bar stays behind it, covering none of its fields.
    form_top = page.locator("#booking").bounding_box()["y"]
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= form_top


def test_a_wide_screen_keeps_the_booking_panel_in_view_and_needs_no_bar(open_context, listing):
    page = open_page(open_context, listing, **DESKTOP)
    expect(page.locator(".summary-bar")).to_be_hidden()
    layout = page.locator(".property-layout").bounding_box()
    panel = page.locator(".booking-panel").bounding_box()
    # Scrolled past the layout's top, yet not so far that the panel meets its bottom.
    past = layout["height"] - panel["height"] - 24 - 10
    assert past > 150, (layout, panel)
    page.evaluate("y => window.scrollTo(0, y)", layout["y"] + past)
    # The panel stays 1.5rem below the top of the screen while the listing scrolls by.
    assert abs(page.locator(".booking-panel").bounding_box()["y"] - 24) <= 1
    expect(page.get_by_label("Check-in")).to_be_in_viewport()


def test_each_amenity_shows_its_icon_from_the_sprite(open_context, listing):
    page = open_page(open_context, listing, **DESKTOP)
    items = page.locator("#amenities li")
    expect(items).to_have_text(["Wi-Fi", "Kitchen", "Sea view", "Step-free entrance"])
    for key in listing.amenities:
        icon = page.locator(f'[data-amenity="{key}"] svg use')
        assert icon.get_attribute("href") == f"#icon-{key}"
        # The symbol exists and draws something: the icon has a size and a shape.
        assert page.locator(f"symbol#icon-{key} > *").count() > 0
        box = page.locator(f'[data-amenity="{key}"] svg').bounding_box()
        assert box["width"] >= 20 and box["height"] >= 20
