"""Headers and cookies that every response carries."""

import re
from html.parser import HTMLParser

import pytest

from tests.helpers import HX, GuestLink, booking_form, csrf_token_from


def fetch(client, url, headers):
    """GET and read the whole body (static files stream until closed)."""
    with client.get(url, headers=headers) as response:
        response.body = response.get_data(as_text=True)
        return response


@pytest.fixture
def urls(make_property, future):
    prop = make_property()
    base = f"/properties/{prop.slug}"
    quote = f"{base}/quote?check_in={future(5)}&check_out={future(7)}&guests=2"
    return {
        "home": ("/", {}),
        "property": (base, {}),
        "calendar page": (f"{base}/calendar", {}),
        "calendar fragment": (f"{base}/calendar", HX),
        "quote fragment": (quote, HX),
        "quote page": (quote, {}),
        "feed": (f"{base}/calendar.ics", {}),
        "health": ("/healthz", {}),
        "static": ("/static/css/site.css", {}),
        "htmx": ("/static/vendor/htmx-2.0.11.min.js", {}),
        "not found": ("/nowhere", {}),
        "login": ("/host/login", {}),
    }


def test_every_response_says_nosniff(client, urls):
    for name, (url, headers) in urls.items():
        response = fetch(client, url, headers)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name


def test_html_pages_forbid_framing_and_eval(client, urls):
    for name, (url, headers) in urls.items():
        response = fetch(client, url, headers)
        if response.mimetype != "text/html":
            continue
        policy = response.headers["Content-Security-Policy"]
        assert "unsafe-eval" not in policy, name
        assert "unsafe-inline" not in policy, name
        assert "frame-ancestors 'none'" in policy, name
        assert response.headers["X-Frame-Options"] == "DENY", name


# <link> relations whose target the browser fetches with the page.
LOADED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}


class LoadedAddresses(HTMLParser):
    """Every address a page makes the browser fetch: scripts, images, styles, icons."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "poster", "data"):
            if attrs.get(name):
                self.addresses.append(attrs[name])
        if attrs.get("srcset"):
            self.addresses += [part.split()[0] for part in attrs["srcset"].split(",")]
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rels & LOADED_LINKS:
            self.addresses.append(attrs.get("href", ""))


def test_pages_load_nothing_from_other_hosts(client, urls, make_property):
    # A place with an area links to a map of it: a link to follow, not a thing to load.
    urls["listing"] = (f"/properties/{make_property(area='Ribeira, Porto').slug}", {})
    loaded = {}
    for name, (url, headers) in urls.items():
        response = fetch(client, url, headers)
        if response.mimetype != "text/html":
            continue
        parser = LoadedAddresses()
        parser.feed(response.body)
        loaded[name] = parser.addresses
        for address in parser.addresses:
            assert address.startswith("/") and not address.startswith("//"), (name, address)
        assert "//fonts." not in response.body, name
    # Links to other sites are fine (a canonical URL, a map); loads were found and checked.
    assert any(re.fullmatch(r"/static/css/site\.[0-9a-f]{10}\.css", a) for a in loaded["property"])
    assert "https://www.openstreetmap.org/search?query=" in response.body


def test_cookies_are_httponly_and_samesite(app, make_property):
    prop = make_property()
    cookies = [
        value
        for url in (f"/properties/{prop.slug}", "/host/login")
        for value in app.test_client().get(url).headers.getlist("Set-Cookie")
    ]
    assert cookies, "the booking form sets a session cookie for its CSRF token"
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert "httponly" in attributes, cookie
        assert "samesite=lax" in attributes or "samesite=strict" in attributes, cookie


def test_csrf_token_is_not_readable_from_a_cookie(client, make_property):
    prop = make_property()
    response = client.get(f"/properties/{prop.slug}")
    token = csrf_token_from(response.get_data(as_text=True))
    for cookie in response.headers.getlist("Set-Cookie"):
        assert token not in cookie


def test_guest_data_is_escaped(client, make_reservation):
    reservation = make_reservation(name="<script>alert(1)</script>")
    html = client.get(GuestLink.of(reservation).page).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_a_nul_byte_anywhere_is_400_not_500(client, make_property, future):
    prop = make_property()
    token = csrf_token_from(client.get(f"/properties/{prop.slug}").get_data(as_text=True))
    assert client.get("/properties/%00").status_code == 400
    assert client.get(f"/properties/{prop.slug}/calendar?month=2031-01%00").status_code == 400
    form = booking_form(future(5), future(7), csrf_token=token, name="A\x00B")
    response = client.post(f"/properties/{prop.slug}/reservations", data=form)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_https_sites_ask_browsers_to_stay_on_https(client, app):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["BASE_URL"] = "https://stay.example.com"
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_nul_byte_in_a_repeated_field_is_refused_too(client, make_property, future):
    prop = make_property()
    url = f"/properties/{prop.slug}/quote?check_in={future(5)}&check_in=x%00&guests=2"
    assert client.get(url).status_code == 400
