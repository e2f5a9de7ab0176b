from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ..forms import IsoDateField, MoneyField, PercentField, WholeNumberField
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
                "extra_guest_fee": str(prop.extra_guest_fee),
                "tax_percent": prop.tax_percent,
                "tourist_tax": str(prop.tourist_tax),
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
