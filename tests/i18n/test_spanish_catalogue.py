"""A guest who reads Spanish reads no English: every text the guest pages and mail show is
translated in translations/es, and no English word is left on the booking flow.

The pages and mail are rendered for real, in Spanish, then read as a person does: the text
and the attributes said aloud or shown (alt, title, aria-label, placeholder, the picker's
announcements). A catalogue text left empty or fuzzy that shows up there fails the test,
named in the failure with where it was seen.
"""

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from innkeeper.config import PROJECT_ROOT
from innkeeper.database import write_transaction
from innkeeper.money import Money
from innkeeper.payments import notifications as payment_notifications
from innkeeper.properties.services import save_translation
from innkeeper.reservations import notifications
from innkeeper.reservations.services import decline
from tests.helpers import booked, booking_form, cancel_form, csrf_token_from, outbox, reservations

CATALOGUE = PROJECT_ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
# The host wrote the place in English and translated it into Spanish.
PLACE = {
    "name": "Blue House",
    "slug": "casa-azul",
    "description": "A quiet house by the sea.",
    "amenities_note": "Beach towels wait in the shed.",
    "house_rules": "Please keep the gate shut.",
    "arrival_instructions": "The key hides under the flowerpot.",
}
TRANSLATED = {
    "name": "Casa Azul",
    "description": "Una casa tranquila junto al mar.",
    "amenities_note": "Hay toallas de playa en el cobertizo.",
    "house_rules": "Cierra la verja, por favor.",
    "arrival_instructions": "La llave se esconde bajo la maceta.",
}
# What the guest typed: their words are not the catalogue's.
GUEST = {"name": "Lucía Pérez", "email": "lucia@ejemplo.es"}
# Said aloud or shown, though not text between tags.
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "value"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


class _Reader(HTMLParser):
    """The text of a page as a person meets it: no script, style or markup."""

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or name.startswith("data-say-")):
                if name == "content" and dict(attrs).get("name") != "description":
                    continue
                # A button shows its content; only an input button shows its value.
                if name == "value" and (
                    tag != "input" or dict(attrs).get("type") not in ("submit", "button")
                ):
                    continue
                # The picker fills its sentences' {slots} with dates and numbers.
                if name.startswith("data-say-"):
                    value = PLACEHOLDER.sub(" ", value)
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.pieces.append(data)


def readable_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.pieces).split())


@cache
def catalogue():
    with CATALOGUE.open("rb") as f:
        return read_po(f, locale="es")


def forms_of(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def shown_as(msgid: str) -> re.Pattern | None:
    """The text as a page shows it, its parameters filled in with anything; None for a text
    with no word of its own ("%(count)s", "·")."""
    parts = PLACEHOLDER.split(msgid.replace("%%", "%"))
    if not any(re.search(r"[A-Za-z]{2}", part) for part in parts):
        return None
    fixed = [r"\s+".join(re.escape(word) for word in part.split()) for part in parts]
    # Markup inside a {% trans %} text is gone from the page's text, and so from the pattern.
    pattern = r".{1,120}?".join(re.sub(r"<[^>]*>", "", part) for part in fixed).strip()
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.S)


def untranslated_shown(texts: dict[str, str], messages=None) -> list[str]:
    """Each catalogue text without a Spanish translation that one of `texts` shows."""
    found = []
    for message in catalogue() if messages is None else messages:
        if not message.id or is_translated(message):
            continue
        for form in forms_of(message):
            pattern = shown_as(form)
            if pattern is None:
                continue
            seen = [where for where, text in texts.items() if pattern.search(text)]
            if seen:
                found.append(f"{form!r} (on {', '.join(seen)})")
                break
    return found


@pytest.fixture
def spanish_guest_journey(app, client, make_property, future, auth):
    """Every guest page and every guest mail, in Spanish: name -> readable text."""
    texts: dict[str, str] = {}

    def read(name: str, response, status: int = 200):
        assert response.status_code == status, (name, response.status_code)
        texts[name] = readable_text(response.get_data(as_text=True))

    def read_mail():
        for message in outbox():
            if message.recipients == [GUEST["email"]]:
                texts[f"the mail {message.kind!r}"] = " ".join(
                    [message.subject, message.text_body, readable_text(message.html_body)]
                )

    prop = make_property(**PLACE, min_nights=2)
    save_translation(prop, "es", TRANSLATED)
    asks = make_property(name="Casa Verde", slug="casa-verde", booking_mode="request")
    client.get("/?lang=es")  # the guest chooses Spanish, as the switcher does
    read("the list of places", client.get("/"))
    read("the property page", client.get(f"/properties/{prop.slug}"))
    read(
        "the calendar fragment",
        client.get(f"/properties/{prop.slug}/calendar", headers={"HX-Request": "true"}),
    )
    stay = f"check_in={future(10)}&check_out={future(13)}&guests=2"
    read("the quote", client.get(f"/properties/{prop.slug}/quote?{stay}"))
    too_short = f"check_in={future(10)}&check_out={future(11)}&guests=2"
    read("a refused quote", client.get(f"/properties/{prop.slug}/quote?{too_short}"), 422)

    token = csrf_token_from(client.get(f"/properties/{prop.slug}").get_data(as_text=True))
    wrong = booking_form(future(11), future(10), 9, csrf_token=token, name="", email="no")
    read("a form to correct", client.post(f"/properties/{prop.slug}/reservations", data=wrong), 422)
    link = booked(
        client.post(
            f"/properties/{prop.slug}/reservations",
            data=booking_form(future(10), future(13), 2, csrf_token=token, **GUEST),
        )
    )
    read("the reservation page", client.get(link.page))
    read("the cancel confirmation", client.get(f"{link.cancel_url}?token={link.token}"))
    read("a page not found", client.get("/properties/no-such-place"), 404)
    read("a malformed month", client.get(f"/properties/{prop.slug}/calendar?month=13"), 422)

    [reservation] = reservations(code=link.code)
    with write_transaction():
        notifications.reminder(reservation)
        notifications.pre_arrival(reservation)
        payment_notifications.balance_due(
            reservation, Money(10000, reservation.currency), future(5)
        )
    read_mail()  # before the cancellation takes the reminder still queued away
    client.post(link.cancel_url, data=cancel_form(client, link))

    token = csrf_token_from(client.get(f"/properties/{asks.slug}").get_data(as_text=True))
    for offset in (10, 20, 30):
        booked(
            client.post(
                f"/properties/{asks.slug}/reservations",
                data=booking_form(future(offset), future(offset + 2), 2, csrf_token=token, **GUEST),
            )
        )
    requests = reservations(property_id=asks.id)
    read("a request's page", client.get(booked_page(requests[0])))
    decline(requests[1])
    with write_transaction():
        notifications.request_expired(requests[2])

    read_mail()
    kinds = {name for name in texts if name.startswith("the mail")}
    assert len(kinds) >= 7, sorted(kinds)
    return texts


def booked_page(reservation) -> str:
    return f"/reservations/{reservation.code}?token={reservation.guest_token()}"


def test_the_spanish_catalogue_is_not_marked_fuzzy_as_a_whole():
    """pybabel compile skips a catalogue whose header is fuzzy: the site would be English."""
    assert not catalogue().fuzzy


def test_no_guest_page_or_mail_shows_a_text_left_untranslated_in_spanish(spanish_guest_journey):
    missing = untranslated_shown(spanish_guest_journey)
    assert not missing, (
        f"{len(missing)} texts shown to Spanish guests have no Spanish translation in"
        f" {CATALOGUE.relative_to(PROJECT_ROOT)} (empty or fuzzy):\n  " + "\n  ".join(missing)
    )


def english_only_words() -> set[str]:
    """Words of the English texts that no Spanish translation uses: "the", "night", "stay"."""
    english, spanish = set(), set()
    for message in catalogue():
        if not message.id:
            continue
        for form in forms_of(message):
            english.update(words(PLACEHOLDER.sub(" ", form)))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            spanish.update(words(PLACEHOLDER.sub(" ", string or "")))
    return english - spanish


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", text) if len(w) >= 3}


def test_no_english_word_shows_on_the_spanish_booking_flow(app, spanish_guest_journey):
    ours = words(" ".join([*TRANSLATED.values(), *GUEST.values(), "Casa Verde", "Innkeeper"]))
    english = english_only_words() - ours
    flow = {
        name: text
        for name, text in spanish_guest_journey.items()
        if not name.startswith("the mail")
    }
    found = {
        name: sorted(words(text) & english) for name, text in flow.items() if words(text) & english
    }
    assert not found, "English words on the Spanish booking flow:\n  " + "\n  ".join(
        f"{name}: {', '.join(shown)}" for name, shown in found.items()
    )


def test_spanish_guests_read_the_hosts_spanish_words_and_none_of_the_english_ones(
    spanish_guest_journey,
):
    original = words(" ".join(text for field, text in PLACE.items() if field != "slug"))
    everything = " ".join(spanish_guest_journey.values())
    assert not words(everything) & original, sorted(words(everything) & original)
    for text in TRANSLATED.values():
        assert text in everything
    assert TRANSLATED["arrival_instructions"] in spanish_guest_journey["the mail 'pre_arrival'"]


def test_the_check_catches_a_text_shown_untranslated_and_only_that():
    """With its parameters filled in, in a page's text; not when translated, nor when absent."""
    sample = Catalog(locale="es")
    sample.add("Check-in cannot be in the past (today here is %(today)s).")
    sample.add("Show the price", "Ver el precio")
    sample.add("Nights kept free between stays")
    page = {
        "a page": "Error: Check-in cannot be in the past (today here is 2031-07-01). Show the price"
    }
    assert untranslated_shown(page, sample) == [
        "'Check-in cannot be in the past (today here is %(today)s).' (on a page)"
    ]
    assert untranslated_shown({"a page": "Una casa junto al mar."}, sample) == []
