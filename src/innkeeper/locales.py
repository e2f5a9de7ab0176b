"""The languages the site speaks, and what a locale decides beyond the words."""

from babel import Locale
from babel.core import default_locale
from flask_babel import get_locale
from werkzeug.datastructures import LanguageAccept

# English first: the language of the catalogue's source.
SUPPORTED = ("en", "es")
DEFAULT = "en"


def supported(code: str | None) -> str | None:
    """The code when the site speaks it ("es", "ES"), else None."""
    code = (code or "").strip().lower()
    return code if code in SUPPORTED else None


def best_accepted(accept: LanguageAccept) -> str | None:
    """The guest's most preferred language the site speaks ("es-MX;q=0.9" counts as es)."""
    return accept.best_match(SUPPORTED)


def language_name(code: str) -> str:
    """The language's name in itself, as a switcher offers it: "English", "Español"."""
    name = Locale.parse(code).get_display_name(code)
    return name[:1].upper() + name[1:]


def language_in_words(code: str) -> str:
    """The language's name as a sentence in the language being rendered gives it:
    "Spanish" in English, "inglés" in Spanish."""
    return Locale.parse(code).get_display_name(str(get_locale() or DEFAULT))


def first_weekday(code: str) -> int:
    """The first day of the week (0 = Monday, 6 = Sunday) for the locale.

    The site negotiates languages, not countries, so Babel reads the week of the
    language as spoken worldwide: Monday for both "en" and "es" (en_US alone would say
    Sunday, and a guest from Boston and one from Leeds both get "en").
    """
    return Locale.parse(code).first_week_day


def terminal_language() -> str | None:
    """The language the command line's environment asks for (LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG), when the site speaks it; "C" and "POSIX" read as English."""
    asked = default_locale("LC_MESSAGES")
    return supported(asked.split("_")[0]) if asked else None
