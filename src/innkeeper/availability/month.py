"""A month of a place's availability, rendered once per state of its nights and reused."""

import hashlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..locales import first_weekday
from .services import NO_TERMS, BookableNights, NightTerms, month_calendar

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str | None) -> date | None:
    """The first day of a YYYY-MM month; None when not given, 422 when malformed."""
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        abort(422, _("Choose a month as YYYY-MM, for example %(example)s.", example="2027-01"))
    return date(int(match[1]), int(match[2]), 1)


# Months the calendar shows at once: two side by side on a wide screen, one on a phone.
MONTHS_SHOWN = 2


@dataclass(frozen=True)
class CalendarMonth:
    """The months of a property's calendar from `first`: availability, rates, rules.

    Its key holds all the calendar shows: the property, the month, its bookable nights
    as of the property's today, the availability version that the database bumps with
    every change of nights, `terms_key` (the rates, seasons and stay lengths the cells
    show, as values: any change of them is a new key), the view (the property page or the
    embedded widget) and the locale (its words, formats and first day of the week). The
    key also makes the ETag.
    """

    property_id: int
    slug: str
    version: int
    first: date
    bookable: BookableNights
    terms_key: Hashable = ()
    view: str = "page"

    def _key(self) -> tuple:
        locale = str(get_locale())
        return (
            self.property_id,
            self.slug,
            self.first,
            self.bookable,
            self.version,
            self.terms_key,
            self.view,
            locale,
        )

    @property
    def etag(self) -> str:
        revision = current_app.extensions["innkeeper.calendar_cache"].revision
        return hashlib.sha256(f"{revision}:{self._key()}".encode()).hexdigest()[:32]

    def html(self, terms: Callable[[date, date], NightTerms] | None = None) -> Markup:
        """The calendar, rendered on a miss with `terms(first, end)` for its nights."""
        cache = current_app.extensions["innkeeper.calendar_cache"]
        key = self._key()
        html = cache.get(key)
        if html is None:
            months = []
            first = self.first
            for _i in range(MONTHS_SHOWN):
                end = (first + timedelta(days=32)).replace(day=1)
                night_terms = terms(first, end) if terms else NO_TERMS
                months.append(
                    month_calendar(
                        self.property_id,
                        first,
                        self.bookable,
                        night_terms,
                        first_weekday(str(get_locale())),
                    )
                )
                first = end
            html = render_template(
                "availability/_calendar.html", slug=self.slug, months=months, view=self.view
            )
            cache.put(key, html)
        return Markup(html)  # our own template output, already escaped
