"""Limits on what a request may carry, and headers that keep features off."""

import pytest

from tests.helpers import csrf_token_from


def test_a_huge_form_is_refused_with_413_before_it_is_read(client, make_property):
    prop = make_property()
    token = csrf_token_from(client.get(f"/properties/{prop.slug}").text)
    body = {"csrf_token": token, "message": "x" * (13 * 1024 * 1024)}
    response = client.post(f"/properties/{prop.slug}/reservations", data=body)
    assert response.status_code == 413
    assert "larger than this site accepts" in response.text


def test_permissions_policy_turns_off_features_the_site_does_not_use(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy


@pytest.fixture
def app_overrides():
    return {"BASE_URL": "https://stay.example.com", "HSTS_INCLUDE_SUBDOMAINS": True}


def test_hsts_covers_subdomains_when_asked(client):
    hsts = client.get("/healthz").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"
