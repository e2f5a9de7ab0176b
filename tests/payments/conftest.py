"""Payments fixtures: a host signed in."""

import pytest


@pytest.fixture
def host(auth):
    auth.login()
    return auth
