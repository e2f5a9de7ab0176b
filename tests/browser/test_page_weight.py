"""The property page stays light and loads nothing from another host."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.helpers import fill_stay, weekend_stay

pytestmark = pytest.mark.browser

MAX_TOTAL_BYTES = 250 * 1024
MAX_SCRIPT_BYTES = 80 * 1024


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
