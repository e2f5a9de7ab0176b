"""The booking widget: its own framing policy, the setting behind it, and what it posts."""

import pytest

from innkeeper import create_app
from tests.helpers import HX

ORIGINS = "https://www.seaside-host.example http://127.0.0.1:8080"


@pytest.fixture
def app_overrides():
    return {"EMBED_ALLOWED_ORIGINS": ORIGINS.split()}


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(rule for rule in policy.split("; ") if rule.startswith("frame-ancestors"))


def test_the_widget_may_be_framed_by_exactly_the_origins_allowed(client, make_property):
    prop = make_property()
    response = client.get(f"/properties/{prop.slug}/embed")
    assert response.status_code == 200
    assert frame_ancestors(response) == f"frame-ancestors {ORIGINS}"
    assert "X-Frame-Options" not in response.headers
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert 'id="calendar"' in html and 'data-date="' in html
    # The widget holds no session and no CSRF token; booking opens the site in a new tab.
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf_token"' not in html
    assert f'method="get" action="/properties/{prop.slug}" target="_blank"' in html


def test_every_other_page_still_refuses_every_frame(client, make_property):
    prop = make_property()
    for url in ["/", f"/properties/{prop.slug}", f"/properties/{prop.slug}/calendar"]:
        for headers in ({}, HX):
            response = client.get(url, headers=headers)
            assert frame_ancestors(response) == "frame-ancestors 'none'", url
            assert response.headers["X-Frame-Options"] == "DENY", url


def test_the_widget_carries_the_dates_to_the_property_page(client, make_property, future):
    prop = make_property()
    stay = f"check_in={future(20)}&check_out={future(23)}&guests=2"
    widget = client.get(f"/properties/{prop.slug}/embed?{stay}").get_data(as_text=True)
    assert f'value="{future(20)}"' in widget and "data-total=" in widget
    page = client.get(f"/properties/{prop.slug}?{stay}&name=Grace").get_data(as_text=True)
    assert f'value="{future(20)}"' in page and f'value="{future(23)}"' in page
    assert "data-total=" in page
    assert "Grace" not in page  # a link fills the stay, never the guest's details


def test_without_origins_the_widget_is_framed_by_none(tmp_path, monkeypatch):
    monkeypatch.delenv("EMBED_ALLOWED_ORIGINS", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["EMBED_ALLOWED_ORIGINS"] == []
    with app.test_request_context():
        from innkeeper.security import content_security_policy

        assert "frame-ancestors 'none'" in content_security_policy([])


@pytest.mark.parametrize(
    "value",
    [
        "example.com",
        "https://example.com/",
        "https://example.com/page",
        "ftp://example.com",
        "https://example.com:99999",
        "*",
        "'self'",
        "https://exa mple.com",
    ],
)
def test_an_origin_that_is_not_one_stops_the_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", f"https://ok.example {value}")
    with pytest.raises(SystemExit, match="EMBED_ALLOWED_ORIGINS"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_origins_are_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", "  https://a.example   http://[::1]:8080 ")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["EMBED_ALLOWED_ORIGINS"] == ["https://a.example", "http://[::1]:8080"]
