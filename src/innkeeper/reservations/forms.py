from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from .services import Guest, Stay

DATE_MESSAGE = _l("Enter a date as YYYY-MM-DD.")


class StayForm(FlaskForm):
    """Dates and party size: what a quote needs. Read from the query string, no CSRF."""

    class Meta:
        csrf = False

    check_in = DateField(
        _l("Check-in"), validators=[InputRequired(DATE_MESSAGE)], render_kw={"type": "date"}
    )
    check_out = DateField(
        _l("Check-out"), validators=[InputRequired(DATE_MESSAGE)], render_kw={"type": "date"}
    )
    guests = IntegerField(
        _l("Guests"),
        default=2,
        validators=[
            InputRequired(_l("Enter the number of guests.")),
            NumberRange(min=1, max=99, message=_l("Enter a number of guests from 1 to 99.")),
        ],
    )

    def stay(self) -> Stay | None:
        """The stay, when its three fields are well formed."""
        if any(f.errors for f in (self.check_in, self.check_out, self.guests)):
            return None
        return Stay(self.check_in.data, self.check_out.data, self.guests.data)

    def add_errors(self, fields: dict[str, list[str]]) -> None:
        for name, messages in fields.items():
            field = self[name]
            field.errors = [*field.errors, *messages]


class ReservationForm(StayForm):
    class Meta:
        csrf = True

    name = StringField(
        _l("Your name"),
        validators=[InputRequired(_l("Enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.com.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    message = TextAreaField(
        _l("Message to the host (optional)"), validators=[Optional(), Length(max=2000)]
    )

    def guest(self) -> Guest:
        return Guest(
            name=self.name.data.strip(),
            email=self.email.data.strip(),
            phone=(self.phone.data or "").strip(),
            message=(self.message.data or "").strip(),
        )


class CancelForm(FlaskForm):
    """Only the CSRF token; the guest token travels beside it."""
