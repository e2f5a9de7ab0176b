"""Error pages: friendly, fragment-aware, and a failed request leaves nothing half-written."""

import pytest

from innkeeper.database import write_transaction
from innkeeper.properties.models import Property
from tests.helpers import count_rows


@pytest.fixture
def app_overrides():
    # Answer unexpected errors with the 500 page, as in production, instead of raising.
    return {"PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def failing_route(app):
    @app.post("/_fail-midway")
    def fail_midway():
        with write_transaction() as session:
            session.add(
                Property(
                    slug="half",
                    name="Half",
                    currency="USD",
                    timezone="UTC",
                    nightly_rate_minor=1,
                    weekend_rate_minor=1,
                    max_guests=1,
                )
            )
            session.flush()
            raise RuntimeError("boom")

    app.config["WTF_CSRF_ENABLED"] = False
    return "/_fail-midway"


def test_an_unexpected_error_is_a_friendly_500_and_nothing_is_stored(client, failing_route):
    response = client.post(failing_route)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "boom" not in html
    assert "Traceback" not in html
    assert count_rows("property") == 0


def test_htmx_gets_the_error_as_a_fragment(client, failing_route):
    response = client.post(failing_route, headers={"HX-Request": "true"})
    assert response.status_code == 500
    assert "<html" not in response.get_data(as_text=True)


def test_a_wrong_method_is_405_with_the_site_layout(client):
    # Cancelling has a page that asks first; paying by card is a POST only.
    response = client.get("/reservations/ABCD-EFGH/pay")
    assert response.status_code == 405
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "status"),
    [("/no-such-page", 404), ("/reservations/ABCD-EFGH/pay", 405)],
)
def test_error_pages_speak_the_guests_language_not_the_frameworks(client, url, status):
    english = client.get(url)
    spanish = client.get(url, headers={"Accept-Language": "es"})
    assert english.status_code == spanish.status_code == status
    for response in (english, spanish):
        assert "on the server" not in response.text
        assert "not allowed for the requested URL" not in response.text
    assert "this address" in english.text.lower()
    assert "esta dirección" in spanish.text.lower()
