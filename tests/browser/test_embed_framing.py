"""Chromium frames the widget on a site that EMBED_ALLOWED_ORIGINS lists, and refuses it
on any other."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.helpers import free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def host_site():
    """The host's own site: a page on another origin that frames the widget."""
    state = {"widget": ""}

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = (
                "<!doctype html><title>Host</title>"
                f'<iframe src="{state["widget"]}" width="600" height="800"></iframe>'
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["origin"] = f"http://127.0.0.1:{port}"
    yield state
    server.shutdown()
    server.server_close()


def widget_frame(page, host_site, widget_url):
    host_site["widget"] = widget_url
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(host_site["origin"] + "/")
    frame = page.frame_locator("iframe")
    return frame, refused


def test_the_widget_shows_inside_a_frame_from_a_listed_origin(
    browser, start_server, place, host_site
):
    server = start_server(EMBED_ALLOWED_ORIGINS=["https://elsewhere.example", host_site["origin"]])
    page = browser.new_page()
    frame, refused = widget_frame(page, host_site, f"{server.url}/properties/{place.slug}/embed")
    expect(frame.locator("#calendar [data-date]").first).to_be_visible()
    first = frame.locator('#calendar td[data-start="true"]').nth(3)
    first.click()
    expect(frame.get_by_label("Check-in")).not_to_have_value("")
    assert not refused
    page.close()


def test_a_frame_from_an_origin_not_listed_is_refused(browser, start_server, place, host_site):
    server = start_server(EMBED_ALLOWED_ORIGINS=["https://elsewhere.example"])
    page = browser.new_page()
    frame, refused = widget_frame(page, host_site, f"{server.url}/properties/{place.slug}/embed")
    page.wait_for_timeout(1000)
    expect(frame.locator("#calendar")).to_have_count(0)
    assert refused, "Chromium should report the frame-ancestors refusal"
    page.close()


def test_without_the_setting_the_widget_is_framed_by_no_one(browser, live_server, place, host_site):
    page = browser.new_page()
    widget = f"{live_server.url}/properties/{place.slug}/embed"
    frame, refused = widget_frame(page, host_site, widget)
    page.wait_for_timeout(1000)
    expect(frame.locator("#calendar")).to_have_count(0)
    assert refused
    page.close()
