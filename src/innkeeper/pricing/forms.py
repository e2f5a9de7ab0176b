from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..exceptions import describe
from ..forms import IsoDateField, MoneyField, PercentField, WholeNumberField, as_typed, strip
from ..properties.models import BOOKING_HORIZON_DAYS, Property

RANGE_MESSAGE = _l("Enter a number from %(min)s to %(max)s.")
AMOUNT_MESSAGE = _l("Enter an amount, 0 for none.")


def whole(label, minimum, maximum, **kwargs):
    return WholeNumberField(
        label,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(minimum, maximum, RANGE_MESSAGE),
        ],
        render_kw={"inputmode": "numeric", "type": "number", "min": minimum, "max": maximum},
        **kwargs,
    )


class RulesForm(FlaskForm):
    """A place's discounts, fees, taxes and booking rules, as the host types them."""

    weekly_discount = PercentField(
        _l("Weekly discount (%)"), description=_l("Off the nights of a stay of 7 nights or more.")
    )
    monthly_discount = PercentField(
        _l("Monthly discount (%)"),
        description=_l("From 28 nights, in place of the weekly one; 0: the weekly one applies."),
    )
    guests_included = whole(
        _l("Guests the rates include"),
        1,
        100,
        description=_l("Each guest beyond them pays the extra-guest fee."),
    )
    extra_guest_fee = MoneyField(
        _l("Extra-guest fee"),
        validators=[DataRequired(AMOUNT_MESSAGE)],
        description=_l("Per extra guest and night."),
    )
    tax_percent = PercentField(
        _l("Tax (%)"),
        description=_l("Of the whole stay, after any discount, cleaning fee included."),
    )
    tourist_tax = MoneyField(
        _l("Tourist tax"),
        validators=[DataRequired(AMOUNT_MESSAGE)],
        description=_l("Per guest and night."),
    )
    advance_notice_days = whole(
        _l("Advance notice, in days"),
        0,
        BOOKING_HORIZON_DAYS - 1,
        description=_l("0: guests may arrive today; 2: the day after tomorrow at the earliest."),
    )
    booking_horizon_days = whole(
        _l("Bookings open, in days ahead"),
        1,
        BOOKING_HORIZON_DAYS,
        description=_l("The last night a guest may book, counted from today."),
    )
    preparation_days = whole(
        _l("Nights kept free between stays"),
        0,
        30,
        description=_l("To clean and prepare the place; nobody may book them."),
    )

    @classmethod
    def of(cls, prop: Property) -> "RulesForm":
        """The form showing the place's current rules."""
        return cls(
            formdata=None,
            data={
                "weekly_discount": prop.weekly_discount,
                "monthly_discount": prop.monthly_discount,
                "guests_included": prop.guests_included,
                "extra_guest_fee": as_typed(prop.extra_guest_fee),
                "tax_percent": prop.tax_percent,
                "tourist_tax": as_typed(prop.tourist_tax),
                "advance_notice_days": prop.advance_notice_days,
                "booking_horizon_days": prop.booking_horizon_days,
                "preparation_days": prop.preparation_days,
            },
        )

    def values(self, currency: str) -> dict | None:
        """The rules, amounts in the place's currency; None, with messages beside the fields."""
        self.validate()
        values = {}
        for name, field in self._fields.items():
            if name == "csrf_token" or field.errors:
                continue
            if isinstance(field, MoneyField):
                values[name] = field.check_amount(currency)
            else:
                values[name] = field.data
        return values if not self.errors else None


class SeasonForm(FlaskForm):
    """A season: its dates, half-open like a stay, and its own rates."""

    start = IsoDateField(
        _l("First night"),
        validators=[InputRequired(_l("Choose the season's first night."))],
        render_kw={"type": "date"},
    )
    end = IsoDateField(
        _l("Ends on"),
        validators=[InputRequired(_l("Choose the day the season ends."))],
        description=_l("The morning after its last night, like a check-out."),
        render_kw={"type": "date"},
    )
    nightly_rate = MoneyField(_l("Nightly rate"), validators=[DataRequired(_l("Enter a rate."))])
    weekend_rate = MoneyField(
        _l("Friday and Saturday rate"),
        validators=[Optional()],
        description=_l("Left empty: the season's nightly rate."),
    )
    min_nights = WholeNumberField(
        _l("Minimum nights"),
        validators=[Optional(), NumberRange(1, 365, RANGE_MESSAGE)],
        description=_l("For stays that begin in the season; left empty: the place's own."),
        render_kw={"inputmode": "numeric", "type": "number", "min": 1},
    )

    def values(self, currency: str) -> dict | None:
        """The season's values, amounts in the place's currency; None with messages if wrong."""
        self.validate()
        values = {
            "start": self.start.data,
            "end": self.end.data,
            "min_nights": self.min_nights.data,
        }
        for field in (self.nightly_rate, self.weekend_rate):
            if field.data and not field.errors:
                values[field.name] = field.check_amount(currency)
        return values if not self.errors else None


class CouponForm(FlaskForm):
    """A coupon as the host types it; the service judges how its fields go together."""

    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the code guests will type.")), Length(max=32)],
        description=_l("Letters, digits and hyphens, like SUMMER-10; guests may type any case."),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    percent_off = PercentField(
        _l("Percent off"),
        description=_l("Of the nights and cleaning fee, before taxes; or give an amount."),
    )
    amount_off = MoneyField(
        _l("Amount off"),
        description=_l("In the place's currency, never more than the stay; needs a place."),
    )
    property = SelectField(_l("Place"), validate_choice=False)
    valid_from = IsoDateField(
        _l("First arrival day"),
        validators=[Optional()],
        description=_l("Stays checking in from this day; empty: from now."),
        render_kw={"type": "date"},
    )
    valid_until = IsoDateField(
        _l("Last arrival day"),
        validators=[Optional()],
        description=_l("Stays checking in up to this day; empty: no end."),
        render_kw={"type": "date"},
    )
    max_uses = WholeNumberField(
        _l("Bookings it may take"),
        validators=[Optional(), NumberRange(1, 1_000_000, RANGE_MESSAGE)],
        description=_l("Empty: as many as guests like."),
        render_kw={"inputmode": "numeric", "type": "number", "min": 1},
    )

    def __init__(self, places: list[Property], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {place.slug: place for place in places}
        self.property.choices = [("", _("Every place"))] + [(p.slug, p.name) for p in places]

    def values(self) -> dict | None:
        """What add_coupon() takes; None, with messages beside the fields, when a field is wrong.

        A field left empty is not given: an empty percentage is no percentage, not 0 %.
        """
        self.validate()
        prop = None
        if slug := self.property.data:
            prop = self.places.get(slug)
            if prop is None:
                self.property.errors = [describe("property_unknown", slug=slug)]
        given = bool(self.percent_off.raw_data and self.percent_off.raw_data[0].strip())
        amount_off = None
        if given and self.amount_off.data:
            self.percent_off.errors = [describe("coupon_percent_or_amount")]
        elif self.amount_off.data:
            if prop is not None:
                amount_off = self.amount_off.check_amount(prop.currency)
            elif not self.property.errors:
                self.amount_off.errors = [describe("coupon_amount_needs_place")]
        if self.errors:
            return None
        return {
            "code": self.code.data,
            "percent_off": self.percent_off.data if given else None,
            "amount_off": amount_off,
            "prop": prop,
            "valid_from": self.valid_from.data,
            "valid_until": self.valid_until.data,
            "max_uses": self.max_uses.data,
        }
