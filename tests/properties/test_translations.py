"""A place's words in several languages: the host translates its name, description, rules
and arrival instructions; each guest reads their language, else the place's own."""

import json
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from innkeeper.properties.models import Property, Translation
from tests.helpers import count_rows, database_snapshot

SPANISH = {
    "name": "Casa Caracola",
    "description": "Una casa luminosa cerca de la playa.",
    "house_rules": "No se fuma.",
}


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def house(make_property):
    return make_property(
        slug="seashell-house",
        name="Seashell House",
        description="A bright house near the beach.",
        house_rules="No smoking.",
        arrival_instructions="The key is in the box.",
    )


def translation_url(slug: str = "seashell-house", locale: str = "es") -> str:
    return f"/host/properties/{slug}/translations/{locale}"


def stored(slug: str = "seashell-house") -> Property:
    db.session.rollback()  # read what the requests committed
    return db.session.scalar(select(Property).filter_by(slug=slug))


def guest_page(client, lang: str, slug: str = "seashell-house") -> str:
    return client.get(f"/properties/{slug}?lang={lang}").get_data(as_text=True)


def test_a_reader_gets_each_field_translated_else_the_original_with_its_language(house):
    house.translations["es"] = Translation(locale="es", name="Casa Caracola", description="")

    listing = house.listing_in("es")

    assert listing.name == "Casa Caracola"
    assert listing.fallback("name") is None
    assert listing.description == "A bright house near the beach."
    assert listing.fallback("description") == "en"
    assert house.listing_in("en").name == "Seashell House"


def test_the_listing_follows_the_language_being_rendered(app, house):
    house.translations["es"] = Translation(locale="es", name="Casa Caracola")

    with force_locale("es"):
        assert house.listing.name == "Casa Caracola"
    with force_locale("en"):
        assert house.listing.name == "Seashell House"


def test_the_host_translates_a_place_and_spanish_guests_read_it(client, host, house):
    page = client.get("/host/properties/seashell-house").get_data(as_text=True)
    assert re.search(r'data-language="es">.*?Not translated', page, re.S)
    form = client.get(translation_url()).get_data(as_text=True)
    assert "A bright house near the beach." in form  # the original, beside its field
    assert 'lang="es"' in form  # the browser checks the spelling in Spanish

    response = host.post(translation_url(), SPANISH)

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/host/properties/seashell-house#languages")
    spanish = guest_page(client, "es")
    assert "<h1>Casa Caracola</h1>" in spanish
    assert "Una casa luminosa cerca de la playa." in spanish
    assert "No se fuma." in spanish
    english = guest_page(client, "en")
    assert "<h1>Seashell House</h1>" in english and "No smoking." in english
    assert "Casa Caracola" not in english
    page = client.get("/host/properties/seashell-house").get_data(as_text=True)
    assert re.search(r'data-language="es">.*?3 of 4 texts translated', page, re.S)


def test_a_field_left_untranslated_is_shown_in_the_original_marked_with_its_language(
    client, host, house
):
    host.post(translation_url(), {"name": "Casa Caracola"})

    spanish = guest_page(client, "es")

    assert '<p class="text" lang="en">No smoking.</p>' in spanish
    assert "<h1>Casa Caracola</h1>" in spanish  # translated: the page's own language


def test_the_structured_data_and_the_title_speak_the_guests_language(client, host, house):
    host.post(translation_url(), SPANISH)

    spanish = guest_page(client, "es")

    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', spanish, re.S).group(1))
    assert data["name"] == "Casa Caracola"
    assert data["description"] == SPANISH["description"]
    assert "<title>Casa Caracola ·" in spanish
    assert '<meta property="og:title" content="Casa Caracola">' in spanish


def test_saving_the_same_translation_twice_stores_it_once(client, host, house):
    host.post(translation_url(), SPANISH)
    entries = count_rows("activity")

    again = host.post(translation_url(), SPANISH)

    assert again.status_code == 303
    assert count_rows("property_translation") == 1
    assert count_rows("activity") == entries  # nothing changed: nothing logged
    entry = db.session.scalar(select(Activity).order_by(Activity.id.desc()))
    assert entry.action == "property.translated"
    assert entry.changes["name"] == [None, "Casa Caracola"]


def test_fields_left_out_of_a_post_keep_their_translation(client, host, house):
    host.post(translation_url(), SPANISH)

    host.post(translation_url(), {"house_rules": "Prohibido fumar."})

    translation = stored().translations["es"]
    assert translation.name == "Casa Caracola"
    assert translation.house_rules == "Prohibido fumar."


def test_emptying_every_field_takes_the_translation_away(client, host, house):
    host.post(translation_url(), SPANISH)

    emptied = dict.fromkeys(
        ["name", "description", "amenities_note", "house_rules", "arrival_instructions"], ""
    )
    host.post(translation_url(), emptied)

    assert count_rows("property_translation") == 0
    assert '<h1 lang="en">Seashell House</h1>' in guest_page(client, "es")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "Casa\nCaracola", "Use one line of plain text"),
        ("name", "x" * 201, "200"),
        ("house_rules", "x" * 5001, "5000"),
    ],
)
def test_a_wrong_field_is_explained_and_nothing_is_stored(
    client, host, house, field, value, message
):
    before = database_snapshot()

    response = host.post(translation_url(), {**SPANISH, field: value})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_there_is_no_translation_into_an_unknown_language_nor_the_places_own(client, host, house):
    unknown = client.get(translation_url(locale="fr"))
    own = client.get(translation_url(locale="en"))
    posted = host.post(translation_url(locale="en"), SPANISH)

    assert unknown.status_code == 404
    assert "does not speak the language fr" in unknown.get_data(as_text=True)
    assert own.status_code == 404 and posted.status_code == 404
    assert "The place is written in English" in own.get_data(as_text=True)
    assert count_rows("property_translation") == 0


def test_a_place_written_in_spanish_is_translated_into_english(client, host, house):
    host.post(translation_url(), {"name": "Casa Caracola"})
    host.post("/host/properties/seashell-house", {"locale": "es", "name": "Casa Caracola"})

    assert stored().locale == "es"
    page = client.get("/host/properties/seashell-house").get_data(as_text=True)
    assert "Your translation into Spanish is set aside" in page
    assert client.get(translation_url(locale="es")).status_code == 404
    host.post(translation_url(locale="en"), {"name": "Seashell House"})

    assert "<h1>Seashell House</h1>" in guest_page(client, "en")
    assert "<h1>Casa Caracola</h1>" in guest_page(client, "es")


def test_a_new_place_is_written_in_the_hosts_language_unless_they_choose(client, host):
    refused = host.post(
        "/host/properties",
        {"name": "Cabin", "nightly_rate": "80", "weekend_rate": "90", "locale": "xx"},
    )
    form = client.get("/host/properties/new?lang=es").get_data(as_text=True)

    assert refused.status_code == 422
    assert "Choose a language from the list." in refused.get_data(as_text=True)
    assert re.search(r'<option selected value="es">|<option value="es" selected>', form)


def test_only_a_signed_in_host_translates(client, house):
    page = client.get(translation_url())
    posted = client.post(translation_url(), data=SPANISH)

    assert page.status_code in (302, 303) and "/host/login" in page.headers["Location"]
    assert posted.status_code in (302, 303, 400)
    assert count_rows("property_translation") == 0
