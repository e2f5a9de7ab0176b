"""Every page answers htmx with a fragment of itself, and never with an error."""

import pytest

from tests.helpers import HX, GuestLink


@pytest.fixture
def pages(auth, make_property, make_reservation, future):
    prop = make_property()
    guest_page = GuestLink.of(make_reservation(prop)).page
    auth.login()
    return [
        "/",
        f"/properties/{prop.slug}",
        f"/properties/{prop.slug}/calendar",
        f"/properties/{prop.slug}/quote?check_in={future(20)}&check_out={future(22)}&guests=2",
        guest_page,
        "/host/login",
        "/host/",
        "/host/mail/1",
        "/nowhere",
    ]


def test_every_page_answers_htmx_with_a_fragment(client, pages):
    for url in pages:
        for method in (client.get, client.head):
            response = method(url, headers=HX)
            assert response.status_code < 500, (method.__name__, url, response.status_code)
            assert "HX-Request" in response.headers.get("Vary", ""), url
        body = client.get(url, headers=HX).get_data(as_text=True)
        assert "<html" not in body, url
        assert "<html" in client.get(url).get_data(as_text=True), url
