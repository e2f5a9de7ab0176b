"""Which language a request is answered in, how a guest chooses it, and what caches see.

Spanish is recognised here by what Babel writes whatever the catalogue holds: <html lang>,
month and weekday names, dates and money.
"""

import re
from datetime import date

import pytest
from babel.dates import format_date
from werkzeug.http import parse_cookie

from innkeeper.availability.services import BookableNights, month_calendar
from innkeeper.host.services import create_host
from innkeeper.locales import first_weekday
from tests.helpers import booked, booking_form, csrf_token_from, login, month_of, reservations

JULY = date(2031, 7, 1)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))[1]


def lang_cookie(response) -> str | None:
    """The Set-Cookie header of the language cookie, if the response sets it."""
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("lang=")]
    return found[0] if found else None


def test_lang_in_the_url_chooses_the_language_and_a_cookie_remembers_it(client, make_property):
    prop = make_property()
    chosen = client.get(f"/properties/{prop.slug}?lang=es")
    assert html_lang(chosen) == "es"
    cookie = lang_cookie(chosen)
    assert parse_cookie(cookie)["lang"] == "es"
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "max-age", "path"} <= attributes
    assert "SameSite=Lax" in cookie

    # Remembered on every other page, without asking again.
    later = client.get("/")
    assert html_lang(later) == "es"
    assert lang_cookie(later) is None


def test_the_choice_wins_over_the_browser_and_the_cookie_over_accept_language(client):
    spanish_browser = {"Accept-Language": "es-ES,es;q=0.9"}
    assert html_lang(client.get("/?lang=en", headers=spanish_browser)) == "en"
    # The cookie now says English: it outweighs the browser's Spanish.
    assert html_lang(client.get("/", headers=spanish_browser)) == "en"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en;q=0.5, es;q=0.9", "es"),  # q-values, not the order written, decide
        ("fr-FR, fr;q=0.9, es;q=0.2", "es"),  # the best the site speaks
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr, de;q=0.8", "en"),  # none the site speaks: the site's language
        ("", "en"),
    ],
)
def test_accept_language_picks_the_best_language_the_site_speaks(client, accept_language, expected):
    assert html_lang(client.get("/", headers={"Accept-Language": accept_language})) == expected


def test_without_a_choice_or_a_match_guests_get_the_site_language_the_host_set(app, client, auth):
    auth.login()
    page = client.get("/host/settings/").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token_from(page),
        "site_name": "Innkeeper",
        "default_locale": "es",
    }
    assert client.post("/host/settings/", data=form).status_code == 303
    auth.logout()

    guest = app.test_client()
    assert html_lang(guest.get("/", headers={"Accept-Language": "fr"})) == "es"
    assert html_lang(guest.get("/", headers={"Accept-Language": "en"})) == "en"


def test_the_site_language_must_be_one_the_site_speaks(client, auth):
    auth.login()
    page = client.get("/host/settings/").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "site_name": "Innkeeper", "default_locale": "fr"}
    response = client.post("/host/settings/", data=form)
    assert response.status_code == 422
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "en"


@pytest.mark.parametrize("unknown", ["fr", "xx", "es-ES-garbage", "", "../../etc"])
def test_an_unknown_lang_is_ignored(client, unknown):
    response = client.get(f"/?lang={unknown}", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert html_lang(response) == "es"  # from Accept-Language, as if not given
    assert lang_cookie(response) is None


def test_html_pages_and_the_calendar_fragment_vary_on_the_language_headers(client, make_property):
    prop = make_property()
    for response in (
        client.get("/"),
        client.get(f"/properties/{prop.slug}"),
        client.get(f"/properties/{prop.slug}/calendar", headers={"HX-Request": "true"}),
    ):
        assert {"Accept-Language", "Cookie"} <= set(response.vary), response.request.path


def test_the_calendar_cache_and_its_etag_keep_each_language_apart(client, make_property):
    prop = make_property()
    url = f"/properties/{prop.slug}/calendar?month={month_of(JULY)}"
    fragment = {"HX-Request": "true"}
    english = client.get(url, headers={**fragment, "Accept-Language": "en"})
    spanish = client.get(url, headers={**fragment, "Accept-Language": "es"})

    in_english, in_spanish = (format_date(JULY, "LLLL y", locale=code) for code in ("en", "es"))
    assert in_english in english.get_data(as_text=True)
    assert in_spanish in spanish.get_data(as_text=True)
    assert in_english not in spanish.get_data(as_text=True)
    assert english.headers["ETag"] != spanish.headers["ETag"]
    # A browser that switched language must not be told its English copy still holds.
    again = client.get(
        url,
        headers={**fragment, "Accept-Language": "es", "If-None-Match": english.headers["ETag"]},
    )
    assert again.status_code == 200
    assert in_spanish in again.get_data(as_text=True)


def test_the_spanish_calendar_names_its_months_and_days_and_starts_weeks_on_monday(
    client, make_property
):
    prop = make_property()
    url = f"/properties/{prop.slug}/calendar?month={month_of(JULY)}&lang=es"
    html = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)"', html)
    assert headers[:7] == ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
    assert 'data-first-weekday="0"' in html
    # 1 July 2031 is a Tuesday: the first week's Monday cell is empty, Tuesday the 1st.
    first_week = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)[1]
    assert first_week.index('class="pad"') < first_week.index('data-date="2031-07-01"')
    assert first_week.count('class="pad"') == 1


def test_a_week_starting_on_sunday_lays_out_the_calendar_from_sunday(app, make_property):
    """Babel's en_US week: the grid and its headers follow whatever first day is given."""
    assert first_weekday("en_US") == 6
    prop = make_property()
    bookable = BookableNights.under(date(2031, 6, 1), 0, 365, 0)
    month = month_calendar(prop.id, JULY, bookable, first_weekday=first_weekday("en_US"))
    first_day_of_each_week = {week[-1].date.weekday() for week in month.weeks[:-1] if week[-1]}
    assert first_day_of_each_week == {5}  # each full week ends on a Saturday


def test_the_quote_writes_money_the_spanish_way(client, make_property, future):
    prop = make_property(nightly_rate_minor=123450, weekend_rate_minor=123450)
    check_in, check_out = future(10), future(12)
    url = f"/properties/{prop.slug}/quote?check_in={check_in}&check_out={check_out}&guests=2"
    html = client.get(url + "&lang=es", headers={"HX-Request": "true"}).get_data(as_text=True)

    # The contract's attributes keep their form; what a person reads is Spanish.
    assert 'data-total="2509.00"' in html
    assert "2509,00\xa0US$" in html.replace(".", "")
    assert "1.234,50" in html


def test_a_422_form_keeps_iso_dates_in_its_fields(client, make_property):
    prop = make_property()
    page = client.get(f"/properties/{prop.slug}?lang=es")
    form = booking_form(
        "2031-07-03", "2031-07-01", 2, csrf_token=csrf_token_from(page.get_data(as_text=True))
    )
    response = client.post(f"/properties/{prop.slug}/reservations", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html_lang(response) == "es"
    assert 'value="2031-07-03"' in html


def test_the_switcher_links_to_this_page_in_each_language_keeping_its_query(client, make_property):
    prop = make_property()
    url = f"/properties/{prop.slug}?guests=3&name=Grace&email=grace@example.com&lang=es"
    html = client.get(url).get_data(as_text=True)
    switcher = re.search(r'<nav class="languages".*?</nav>', html, re.S)[0]
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switcher))
    by_language = {code: url for url, code in links.items()}
    # The guest's details, had a link carried them, are not passed on.
    assert by_language["en"] == f"/properties/{prop.slug}?guests=3&amp;lang=en"
    assert by_language["es"] == f"/properties/{prop.slug}?guests=3&amp;lang=es"
    assert re.search(r'hreflang="es" lang="es"[^>]*aria-current="true">Español<', switcher)
    assert re.search(r'hreflang="en" lang="en"[^>]*>English<', switcher)
    assert 'hreflang="en" lang="en" rel="nofollow" aria-current' not in switcher


def test_a_hosts_own_language_rules_their_pages_and_not_another_hosts(app, client, auth):
    auth.login()
    page = client.get("/host/settings/").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post("/host/settings/language", data={"csrf_token": token, "locale": "es"})
    assert html_lang(client.get("/host/reservations", headers={"Accept-Language": "en"})) == "es"
    # Guest pages keep the guest's rules: this browser sent no choice, its browser says English.
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "en"

    create_host("cohost@example.com", "correct horse battery")
    other = app.test_client()
    login(other, "cohost@example.com", "correct horse battery")
    assert html_lang(other.get("/host/reservations", headers={"Accept-Language": "en"})) == "en"


def test_a_host_language_the_site_does_not_speak_is_refused(client, auth):
    auth.login()
    token = csrf_token_from(client.get("/host/settings/").get_data(as_text=True))
    response = client.post("/host/settings/language", data={"csrf_token": token, "locale": "fr"})
    assert response.status_code == 422
    assert html_lang(client.get("/host/reservations", headers={"Accept-Language": "en"})) == "en"


def test_a_phone_booking_speaks_the_language_the_host_picks_else_the_sites(
    client, auth, make_property, future
):
    prop = make_property()
    auth.login()
    for locale, nights in (("es", (10, 12)), (None, (20, 22)), ("fr", (30, 32))):
        token = csrf_token_from(client.get("/host/reservations/new").get_data(as_text=True))
        form = booking_form(future(nights[0]), future(nights[1]), 2, csrf_token=token)
        form["property"] = prop.slug
        if locale:
            form["locale"] = locale
        response = client.post("/host/reservations", data=form)
        assert response.status_code == (422 if locale == "fr" else 303), locale
    assert [r.locale for r in reservations()] == ["es", "en"]


def test_dates_on_the_guests_page_are_spanish(client, book, make_property, future):
    prop = make_property()
    client.get("/?lang=es")
    link = booked(book(prop, future(10), future(12)))
    html = client.get(link.page).get_data(as_text=True)
    assert format_date(future(10), "full", locale="es") in html
