from zoneinfo import available_timezones

from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import MoneyField, WholeNumberField, language_choices, one_line, strip
from ..locales import SUPPORTED
from ..money import MoneyError, decimals
from ..submissions import SubmissionKeyField
from .models import AMENITIES, TRANSLATED_FIELDS, BookingMode

TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})
# Currencies Babel knows the decimals of; the host types an ISO 4217 code.
COMMON_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "AUD", "MXN", "BRL", "JPY", "SEK"]

MONEY_FIELDS = ("nightly_rate", "weekend_rate", "cleaning_fee")


class CheckboxesField(SelectMultipleField):
    """Ticked boxes; an empty value (the hidden field that says "none ticked") is no choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        super().process_formdata([value for value in valuelist if value])


def text_area(label, max_length: int, **kwargs) -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[Length(max=max_length)], **kwargs)


# The host's words, as the place's form and its translations take them.
NAME_LENGTH = 200
DESCRIPTION = (_l("Description"), 10000)
AMENITIES_NOTE = (_l("Other amenities"), 2000)
HOUSE_RULES = (_l("House rules"), 5000)
ARRIVAL_INSTRUCTIONS = (_l("Arrival instructions"), 5000)


def whole(label, minimum, maximum, default):
    return WholeNumberField(
        label,
        default=default,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(minimum, maximum, _l("Enter a number from %(min)s to %(max)s.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


class PropertyForm(FlaskForm):
    """A place as the host describes it; the same form creates and edits."""

    submission_key = SubmissionKeyField()
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Give the place a name.")), Length(max=NAME_LENGTH), one_line],
    )
    slug = StringField(
        _l("Web address"),
        filters=[strip, lambda s: s.lower() if s else s],
        validators=[Optional(), Length(max=80)],
        description=_l("Letters, digits and hyphens; made from the name when left empty."),
    )
    parent = SelectField(
        _l("Part of"),
        default="",
        choices=[],
        validate_choice=False,
        description=_l(
            "Make this a room or unit of a place with several, like the rooms of an inn: it"
            " keeps its own prices, calendar and calendar feed, and the place's page lists it."
        ),
    )
    description = text_area(*DESCRIPTION)
    locale = SelectField(
        _l("Written in"),
        default=lambda: str(get_locale() or SUPPORTED[0]),
        choices=language_choices(),
        validate_choice=False,
        description=_l(
            "The language of the name, description, rules and instructions you write here."
            " Guests who read another see your translation into theirs where you give one."
        ),
    )
    area = StringField(
        _l("Area"),
        filters=[strip],
        validators=[Length(max=200), one_line],
        description=_l("Shown to everyone, e.g. “Old town, Lisbon”."),
    )
    address = TextAreaField(
        _l("Address"),
        filters=[strip],
        validators=[Length(max=1000)],
        description=_l("Shown only to guests who have booked."),
    )
    currency = StringField(
        _l("Currency"),
        default="EUR",
        filters=[strip, lambda s: s.upper() if s else s],
        validators=[DataRequired(_l("Enter a currency code like EUR or USD."))],
        render_kw={"list": "currencies", "autocomplete": "off", "maxlength": 3},
    )
    timezone = SelectField(
        _l("Time zone"),
        default="Europe/Lisbon",
        choices=[SelectChoice(tz, optgroup=tz.partition("/")[0]) for tz in TIMEZONES],
        validate_choice=False,
        validators=[DataRequired(_l("Choose the place's time zone."))],
        description=_l("The place's own dates and times are counted in it."),
    )
    nightly_rate = MoneyField(_l("Nightly rate"), validators=[DataRequired(_l("Enter a rate."))])
    weekend_rate = MoneyField(
        _l("Friday and Saturday rate"), validators=[DataRequired(_l("Enter a rate."))]
    )
    cleaning_fee = MoneyField(_l("Cleaning fee"), default="0")
    min_nights = whole(_l("Minimum nights"), 1, 365, 1)
    max_nights = whole(_l("Maximum nights"), 1, 365, 30)
    max_guests = whole(_l("Maximum guests"), 1, 100, 2)
    check_in_time = TimeField(_l("Check-in from"), default=None, validators=[Optional()])
    check_out_time = TimeField(_l("Check-out by"), default=None, validators=[Optional()])
    amenities = CheckboxesField(
        _l("Amenities"),
        choices=[SelectChoice(key, label) for key, label in AMENITIES.items()],
        validate_choice=False,
    )
    amenities_note = text_area(*AMENITIES_NOTE)
    house_rules = text_area(*HOUSE_RULES)
    host_contact = TextAreaField(
        _l("How booked guests reach you"),
        filters=[strip],
        validators=[Length(max=1000)],
        description=_l("A phone number or address, shown to guests after they book."),
    )
    arrival_instructions = text_area(
        *ARRIVAL_INSTRUCTIONS,
        description=_l(
            "How to get in: keys, door codes, parking. Shown to booked guests on their page"
            " and mailed to them before they arrive."
        ),
    )
    deposit_percent = whole(_l("Deposit at booking (%)"), 0, 100, 100)
    balance_due_days = whole(_l("Balance due, days before check-in"), 0, 365, 14)
    free_cancellation_days = whole(_l("Free cancellation until, days before check-in"), 0, 365, 14)
    late_refund_percent = whole(
        _l("Refund for a later cancellation (% of what was paid)"), 0, 100, 0
    )
    booking_mode = RadioField(
        _l("How guests book"),
        default=BookingMode.INSTANT.value,
        choices=[
            SelectChoice(
                BookingMode.INSTANT.value, _l("At once: each booking is confirmed as it is made")
            ),
            SelectChoice(
                BookingMode.REQUEST.value,
                _l("On request: you accept or decline each booking, its nights held meanwhile"),
            ),
        ],
        validate_choice=False,
    )
    published = BooleanField(_l("Show to guests"), default=True)

    def validate_booking_mode(self, field) -> None:
        if field.data not in set(BookingMode):
            field.errors.append(_l("Choose whether guests book at once or on request."))

    def validate_currency(self, field) -> None:
        try:
            decimals(field.data)
            get_currency_name(field.data, locale="en")
        except (ValueError, KeyError, MoneyError):
            field.errors.append(_l("Enter an ISO 4217 currency code like EUR, USD or JPY."))
            return
        if len(field.data) != 3 or not field.data.isalpha():
            field.errors.append(_l("Enter an ISO 4217 currency code like EUR, USD or JPY."))

    def validate_timezone(self, field) -> None:
        if field.data not in TIMEZONES:
            field.errors.append(_l("Choose a time zone like Europe/Lisbon."))

    def validate_locale(self, field) -> None:
        if field.data not in SUPPORTED:
            field.errors.append(_l("Choose a language from the list."))

    def validate_amenities(self, field) -> None:
        unknown = set(field.data or []) - set(AMENITIES)
        if unknown:
            field.errors.append(_l("Choose amenities from the list."))

    def values(self) -> dict | None:
        """The model's values from the form; None, with messages beside the fields, if wrong."""
        valid = self.validate()
        values = {}
        for name in self.data:
            field = self[name]
            if name in ("csrf_token", "submission_key"):
                continue
            if name in MONEY_FIELDS:
                if not self.currency.errors and not field.errors:
                    values[name] = field.check_amount(self.currency.data)
            elif name == "amenities":
                values[name] = [key for key in AMENITIES if key in (field.data or [])]
            elif name == "booking_mode":
                if not field.errors:
                    values[name] = BookingMode(field.data)
            elif name in ("check_in_time", "check_out_time"):
                if field.data is not None:
                    values[name] = field.data
            else:
                values[name] = field.data
        return values if valid and not self.errors else None

    def offer_parents(self, places) -> None:
        """The places this one may be part of, after "none"; the service judges the choice."""
        self.parent.choices = [SelectChoice("", _l("None: a place of its own"))] + [
            SelectChoice(place.slug, place.name) for place in places
        ]

    def currency_options(self) -> list[tuple[str, str]]:
        locale = str(get_locale() or "en")
        return [(code, get_currency_name(code, locale=locale)) for code in COMMON_CURRENCIES]


class EditPropertyForm(PropertyForm):
    """Editing: publishing has its own buttons, and fields left out keep their values."""

    published = None


class TranslationForm(FlaskForm):
    """A place's words in another language; a field left empty shows guests the original."""

    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=NAME_LENGTH), one_line])
    description = text_area(*DESCRIPTION)
    amenities_note = text_area(*AMENITIES_NOTE)
    house_rules = text_area(*HOUSE_RULES)
    arrival_instructions = text_area(*ARRIVAL_INSTRUCTIONS)

    def texts(self) -> dict[str, str] | None:
        """The words sent, "" for a field left empty; None, with messages, if wrong."""
        if not self.validate():
            return None
        return {name: self[name].data or "" for name in TRANSLATED_FIELDS}
