"""Amounts and percentages as a host types them in their language, and as code writes them."""

from decimal import Decimal, InvalidOperation

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.forms import as_typed, typed_number
from innkeeper.money import Money
from innkeeper.properties.models import Property


@pytest.mark.parametrize(
    ("locale", "text", "number"),
    [
        ("es", "85,50", Decimal("85.50")),
        ("es", "1.234,50", Decimal("1234.50")),
        ("es", "1.200", Decimal("1200")),  # a thousand two hundred, as Spain writes it
        ("es", "120.00", Decimal("120.00")),  # as a script or a browser posts it
        ("es", "7,5", Decimal("7.5")),
        ("en", "1,234.50", Decimal("1234.50")),
        ("en", "120.00", Decimal("120.00")),
        ("en", "-50", Decimal("-50")),
    ],
)
def test_a_number_is_read_the_way_the_pages_language_writes_it(app, locale, text, number):
    with force_locale(locale):
        assert typed_number(text) == number


@pytest.mark.parametrize(("locale", "text"), [("en", "85,50"), ("en", "twelve"), ("es", "1,2,3")])
def test_what_is_no_number_in_the_pages_language_is_refused(app, locale, text):
    with force_locale(locale), pytest.raises(InvalidOperation):
        typed_number(text)


def test_a_form_shows_an_amount_with_the_languages_decimal_sign_and_the_currencys_decimals(app):
    with force_locale("es"):
        assert as_typed(Money(8550, "EUR")) == "85,50"
        assert as_typed(Money(15000, "JPY")) == "15000"
    with force_locale("en"):
        assert as_typed(Money(123450, "USD")) == "1234.50"


@pytest.fixture
def spanish_host(client, auth):
    auth.login()
    auth.post("/host/settings/language", {"locale": "es"})
    return auth


def test_a_spanish_host_types_rates_and_discounts_with_a_decimal_comma(
    client, spanish_host, make_property
):
    make_property(slug="casa", currency="EUR")

    saved = spanish_host.post("/host/properties/casa", {"nightly_rate": "85,50"})
    rules = spanish_host.post("/host/properties/casa/pricing", {"weekly_discount": "7,5"})

    assert saved.status_code == 303 and rules.status_code == 303
    db.session.rollback()
    prop = db.session.scalar(select(Property).filter_by(slug="casa"))
    assert prop.nightly_rate == Money(8550, "EUR")
    assert prop.weekly_discount == Decimal("7.5")
    page = client.get("/host/properties/casa").get_data(as_text=True)
    assert 'value="85,50"' in page


def test_a_wrong_amount_is_explained_with_an_example_in_the_hosts_language(
    client, spanish_host, make_property
):
    make_property(slug="casa", currency="EUR")

    response = spanish_host.post("/host/properties/casa", {"nightly_rate": "ochenta"})

    assert response.status_code == 422
    assert "Escribe un importe como 120,00." in response.get_data(as_text=True)
