"""Field types and checks that the guest forms and the host forms share."""

import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from email_validator import EmailNotValidError, validate_email
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from .addresses import UnsendableAddress, ascii_address
from .locales import DEFAULT, SUPPORTED, language_name
from .money import Money, MoneyError, decimals

DATE_MESSAGE = _l("Enter a date as YYYY-MM-DD.")

# Characters that reorder the text around them, and so can disguise it.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown_values(form, names=None) -> MultiDict:
    """What each field of `form` shows (the text in it, or the option chosen), as posted."""
    fields = [form[name] for name in names] if names else form
    return MultiDict(
        {
            field.name: field._value() if hasattr(field, "_value") else field.data
            for field in fields
            if field.name not in ("csrf_token", "submission_key")
        }
    )


def with_posted(current: MultiDict, posted: MultiDict) -> MultiDict:
    """What a form holds now, with every field that was posted in place of its value.

    An edit then changes only the fields sent; the ones left out keep their values.
    """
    data = current.copy()
    for name in posted:
        data.setlist(name, posted.getlist(name))
    return data


def add_field_errors(form, fields: dict[str, list[str]]) -> None:
    """Put a service's messages (InvalidFields.fields) beside the form's own fields."""
    for name, messages in fields.items():
        form[name].errors = [*form[name].errors, *messages]


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def one_line(form, field) -> None:
    """Names and numbers go into mail greetings and subjects: one line, no control characters."""
    if field.data and any(
        unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS for c in field.data
    ):
        raise ValidationError(_l("Use one line of plain text, without line breaks."))


def mail_can_reach(form, field) -> None:
    """A well-formed address our mail can be sent to (or from)."""
    try:
        validate_email(field.data, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_l("Enter an e-mail address like name@example.com.")) from None
    try:
        ascii_address(field.data)
    except UnsendableAddress:
        raise ValidationError(
            _l(
                "We cannot send mail to an address with accented or non-Latin letters"
                " before the @. Please give another address."
            )
        ) from None


class IsoDateField(DateField):
    """A YYYY-MM-DD date whose parse error tells the person the form expected."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None


class WholeNumberField(IntegerField):
    """A whole number whose parse error says so in the person's words."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


def _page_locale() -> str:
    return str(get_locale() or DEFAULT)


def typed_number(text: str) -> Decimal:
    """A number as a person types it in the page's language ("1.234,50" in Spanish,
    "1,234.50" in English) or as code writes it ("1234.50"); InvalidOperation if neither."""
    try:
        return parse_decimal(text, locale=_page_locale(), strict=True)
    except NumberFormatError:
        return Decimal(text.strip())


def as_typed(amount: Money) -> str:
    """An amount as a form shows it in the page's language: "120.00", "120,00", JPY "120"."""
    places = decimals(amount.currency)
    return format_decimal(
        amount.amount, format="0." + "0" * places if places else "0", locale=_page_locale()
    )


def example_amount(currency: str) -> str:
    """The amount a message about a wrong one shows: 120 in the currency, typed."""
    return as_typed(Money.parse("120", currency))


class MoneyField(StringField):
    """An amount typed as a decimal string; read in a currency with `amount_in()`.

    The currency may come from another field of the same form, so the text is kept
    as typed and judged by `check_amount` once the currency is known.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, filters=[strip], **kwargs)

    def amount_in(self, currency: str) -> Money:
        try:
            amount = typed_number(self.data or "")
        except InvalidOperation:
            raise MoneyError(f"{self.data!r} is not an amount") from None
        return Money.parse(str(amount), currency)

    def check_amount(self, currency: str) -> Money | None:
        """The amount, or None with a message on the field."""
        try:
            amount = self.amount_in(currency)
        except MoneyError:
            self.errors = [
                *self.errors,
                _l("Enter an amount like %(example)s.", example=example_amount(currency)),
            ]
            return None
        if amount.minor < 0:
            self.errors = [*self.errors, _l("Enter an amount of zero or more.")]
            return None
        return amount


class PercentField(StringField):
    """A percentage from 0 to 100 typed as a decimal ("10", "5.875"), read as a Decimal.

    At most three decimals, the precision a place's percentages are kept in; empty is 0.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, filters=[strip], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip() or "0"
        try:
            value = typed_number(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValueError(_l("Enter a percentage like 10 or 7.5."))
        if not 0 <= value <= 100:
            raise ValueError(_l("Enter a percentage from 0 to 100."))
        if value * 1000 != (value * 1000).to_integral_value():
            raise ValueError(_l("Use at most three decimals."))
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data, "0.###", _page_locale())


def language_choices() -> list[SelectChoice]:
    """Each language the site speaks, named in itself, as a form offers them."""
    return [SelectChoice(code, language_name(code)) for code in SUPPORTED]
