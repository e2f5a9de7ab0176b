"""A month of a place's availability, rendered once per state of its nights and reused."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from flask import abort, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .services import BookableNights, month_calendar

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: str | None) -> date | None:
    """The first day of a YYYY-MM month; None when not given, 422 when malformed."""
    if not value:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        abort(422, _("Choose a month as YYYY-MM, for example %(example)s.", example="2027-01"))
    return date(int(match[1]), int(match[2]), 1)


@dataclass(frozen=True)
class CalendarMonth:
    """One month of a property's availability.

    Its key holds all the calendar shows: the property, the month, its bookable nights
    as of the property's today, the locale and the availability version that the
    database bumps with every change of nights. The key also makes the ETag.
    """

    property_id: int
    slug: str
    version: int
    first: date
    bookable: BookableNights

    def _key(self) -> tuple:
        locale = str(get_locale())
        return (self.property_id, self.slug, self.first, self.bookable, self.version, locale)

    @property
    def etag(self) -> str:
        revision = current_app.extensions["innkeeper.calendar_cache"].revision
        return hashlib.sha256(f"{revision}:{self._key()}".encode()).hexdigest()[:32]

    def html(self) -> Markup:
        cache = current_app.extensions["innkeeper.calendar_cache"]
        key = self._key()
        html = cache.get(key)
        if html is None:
            calendar = month_calendar(self.property_id, self.first, self.bookable)
            html = render_template("availability/_calendar.html", slug=self.slug, calendar=calendar)
            cache.put(key, html)
        return Markup(html)  # our own template output, already escaped
