"""Every page answers htmx with a fragment of itself, and never with an error."""

import pytest

from innkeeper.host.services import create_host
from tests.conftest import csrf_token_from

HX = {"HX-Request": "true"}


@pytest.fixture
def pages(app, client, make_property, book, future):
    prop = make_property()
    guest_page = book(prop, future(10), future(12)).headers["Location"]
    create_host("host@example.com", "correct horse battery")
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    client.post(
        "/host/login",
        data={
            "csrf_token": token,
            "email": "host@example.com",
            "password": "correct horse battery",
        },
    )
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
