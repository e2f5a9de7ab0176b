"""Template filters and globals."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale, dates
from babel.dates import get_day_names
from babel.numbers import format_currency, format_percent
from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale
from markupsafe import Markup

from .clock import utcnow
from .locales import first_weekday, language_in_words
from .money import Money
from .web import external_url


def money(value: Money) -> str:
    """The amount as the reader's locale writes it: "$1,234.50", "1.234,50 €", "¥15,000"."""
    return value.format(str(get_locale() or "en"))


def money_short(value: Money) -> str:
    """A whole amount without its zero decimals, as a calendar cell has room for: "$120"."""
    locale = str(get_locale() or "en")
    if value.amount != value.amount.to_integral_value():
        return value.format(locale)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    whole = pattern.replace(".00", "").replace(",00", "")
    return format_currency(
        value.amount, value.currency, whole, locale=locale, currency_digits=False
    )


def percent(value: Decimal) -> str:
    """A percentage as the reader's locale writes it, with every decimal it has: "5.875%"."""
    return format_percent(value / 100, locale=str(get_locale() or "en"), decimal_quantization=False)


def local_datetime(moment: datetime, timezone: str) -> str:
    """A stored moment (naive UTC) as the reader's locale writes it in a place's timezone,
    named: "Thursday, December 3, 2026, 2:15 PM (America/Cancun)"."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    locale = str(get_locale() or "en")
    written = dates.get_datetime_format("medium", locale=locale).format(
        dates.format_time(local, "short", locale=locale),
        dates.format_date(local, "full", locale=locale),
    )
    return f"{written} ({timezone})"


def time_left(moment: datetime) -> str:
    """How long until `moment` (naive UTC), roughly: "24 hours", "35 minutes"; "" once past."""
    left = moment - utcnow()
    if left.total_seconds() <= 0:
        return ""
    return dates.format_timedelta(left, threshold=1.5, locale=str(get_locale() or "en"))


def lang_of(listing, field: str) -> Markup:
    """` lang="en"` on an element whose host's words are shown in the original language
    (no translation into the page's), so that browsers and screen readers read them right."""
    language = listing.fallback(field)
    return Markup(' lang="%s"') % language if language else Markup("")


def weekday_names() -> list[tuple[str, str]]:
    """(abbreviated, full) weekday names in the reader's locale, its first day of the week
    first, as the calendars' weeks are."""
    locale = str(get_locale() or "en")
    short = get_day_names("abbreviated", locale=locale)
    full = get_day_names("wide", locale=locale)
    first = first_weekday(locale)
    return [(short[(first + i) % 7], full[(first + i) % 7]) for i in range(7)]


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["money_short"] = money_short
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["long_date"] = lambda d: format_date(d, "full")
    app.jinja_env.filters["medium_date"] = lambda d: format_date(d, "medium")
    app.jinja_env.filters["medium_datetime"] = lambda d: format_datetime(d, "medium")
    app.jinja_env.filters["short_time"] = lambda t: format_time(t, "short", rebase=False)
    app.jinja_env.filters["month_name"] = lambda d: format_date(d, "LLLL y")
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.filters["lang_of"] = lang_of
    # A language code as the reader's language names it: "es" -> "Spanish", "español".
    app.jinja_env.filters["language"] = language_in_words
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.globals["weekday_names"] = weekday_names
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["first_weekday"] = lambda: first_weekday(str(get_locale() or "en"))
