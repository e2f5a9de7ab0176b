"""The property page stays light and loads nothing from another host."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from innkeeper.demo import load_demo
from tests.helpers import fill_stay, weekend_stay

pytestmark = pytest.mark.browser

MAX_TOTAL_BYTES = 250 * 1024
MAX_SCRIPT_BYTES = 80 * 1024
# The page itself, its style and its scripts, before any photo, as sent over the wire
# (static text files go out gzipped).
MAX_BYTES_BEFORE_PHOTOS = 100 * 1024


def is_script(response) -> bool:
    content_type = response.headers.get("content-type", "")
    return response.request.resource_type == "script" or "javascript" in content_type


def test_property_page_weighs_at_most_250_kb_with_at_most_80_kb_of_script(page, place):
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(f"/properties/{place.slug}", wait_until="networkidle")
    # Lazy photos count too: bring every one into view.
    page.mouse.wheel(0, 10_000)
    page.wait_for_load_state("networkidle")

    sizes = {response.url: len(response.body()) for response in responses}
    scripts = sum(len(r.body()) for r in responses if is_script(r))
    total = sum(sizes.values())
    assert any(url.endswith(".svg") for url in sizes), "the photos did not load"
    assert scripts > 0, "no script was counted"
    assert total <= MAX_TOTAL_BYTES, sizes
    assert scripts <= MAX_SCRIPT_BYTES, sizes


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_the_demo_place_with_its_photos_weighs_under_250_kb(open_context, app, viewport):
    load_demo()
    width, height = viewport
    page = open_context(viewport={"width": width, "height": height}).new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto("/properties/seashell-house", wait_until="networkidle")
    page.mouse.wheel(0, 10_000)
    page.wait_for_load_state("networkidle")

    images = [r for r in responses if r.request.resource_type == "image"]
    photos = [r for r in images if "/photos/" in r.url]
    total = sum(len(r.body()) for r in responses)
    transferred = {r.url: max(0, r.request.sizes()["responseBodySize"]) for r in responses}
    before_photos = sum(transferred.values()) - sum(transferred[r.url] for r in images)
    # WebP at a width that fits: never the widest, which only a full-screen view asks for.
    assert photos and all(r.url.endswith(".webp") for r in photos), [r.url for r in photos]
    assert not any("-1600w." in r.url for r in photos), [r.url for r in photos]
    assert 0 < before_photos <= MAX_BYTES_BEFORE_PHOTOS, transferred
    assert total <= MAX_TOTAL_BYTES, {r.url: len(r.body()) for r in responses}


def test_every_request_goes_to_the_sites_own_origin(page, place, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request))

    page.goto(f"/properties/{place.slug}", wait_until="networkidle")
    page.get_by_role("link", name="Next month").click()
    expect(page).to_have_url(re.compile(r"/calendar\?month="))
    fill_stay(page, *weekend_stay(place))
    expect(page.locator("#quote [data-total]")).to_be_visible()
    page.wait_for_load_state("networkidle")

    site = urlsplit(live_server.url)
    foreign = [r.url for r in requests if urlsplit(r.url)[:2] != (site.scheme, site.netloc)]
    assert len(requests) >= 5
    assert not foreign
