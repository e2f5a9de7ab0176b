"""Template filters and globals."""

from decimal import Decimal

from babel.dates import get_day_names
from babel.numbers import format_percent
from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale

from .money import Money
from .web import external_url


def money(value: Money) -> str:
    """The amount as the reader's locale writes it: "$1,234.50", "1.234,50 €", "¥15,000"."""
    return value.format(str(get_locale() or "en"))


def percent(value: Decimal) -> str:
    """A percentage as the reader's locale writes it, with every decimal it has: "5.875%"."""
    return format_percent(value / 100, locale=str(get_locale() or "en"), decimal_quantization=False)


def weekday_names() -> list[tuple[str, str]]:
    """(abbreviated, full) weekday names, Monday first."""
    locale = str(get_locale() or "en")
    short = get_day_names("abbreviated", locale=locale)
    full = get_day_names("wide", locale=locale)
    return [(short[i], full[i]) for i in range(7)]


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["long_date"] = lambda d: format_date(d, "full")
    app.jinja_env.filters["medium_date"] = lambda d: format_date(d, "medium")
    app.jinja_env.filters["medium_datetime"] = lambda d: format_datetime(d, "medium")
    app.jinja_env.filters["short_time"] = lambda t: format_time(t, "short", rebase=False)
    app.jinja_env.filters["month_name"] = lambda d: format_date(d, "LLLL y")
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.globals["weekday_names"] = weekday_names
    app.jinja_env.globals["get_locale"] = get_locale
