from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import MoneyField, example_amount, strip
from ..money import Money, MoneyError
from ..submissions import SubmissionKeyField
from .models import PaymentMethod

METHODS = {
    PaymentMethod.CASH: _l("Cash"),
    PaymentMethod.TRANSFER: _l("Bank transfer"),
    PaymentMethod.CARD: _l("Card"),
    PaymentMethod.OTHER: _l("Other"),
}


class PaymentForm(FlaskForm):
    """A payment the host received, or (a negative amount) a refund they made."""

    submission_key = SubmissionKeyField()
    amount = MoneyField(
        _l("Amount"),
        validators=[DataRequired(_l("Enter the amount."))],
        description=_l("A negative amount, like -50.00, records a refund."),
    )
    method = SelectField(
        _l("How"),
        choices=[SelectChoice(method.value, label) for method, label in METHODS.items()],
        default=PaymentMethod.TRANSFER.value,
        validators=[InputRequired(_l("Choose how it was paid."))],
    )
    note = StringField(_l("Note (optional)"), filters=[strip], validators=[Length(max=500)])

    def amount_in(self, currency: str) -> Money | None:
        """The amount in the stay's currency, or None with a message beside the field."""
        if self.amount.errors:
            return None
        try:
            return self.amount.amount_in(currency)
        except MoneyError:
            self.amount.errors = [
                *self.amount.errors,
                _l(
                    "Enter an amount in %(currency)s like %(example)s.",
                    currency=currency,
                    example=example_amount(currency),
                ),
            ]
            return None
