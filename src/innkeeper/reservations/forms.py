from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..exceptions import InvalidFields, InvalidStay
from ..forms import (
    IsoDateField,
    add_field_errors,
    language_choices,
    mail_can_reach,
    one_line,
    strip,
)
from ..pricing.coupons import coupon_for
from ..pricing.services import Stay, check_stay
from ..properties.models import Property
from ..submissions import SubmissionKeyField
from .services import Guest


class StayForm(FlaskForm):
    """Dates and party size: what a quote needs. Read from the query string, no CSRF."""

    class Meta:
        csrf = False

    check_in = IsoDateField(
        _l("Check-in"),
        validators=[InputRequired(_l("Choose a check-in date."))],
        render_kw={"type": "date"},
    )
    check_out = IsoDateField(
        _l("Check-out"),
        validators=[InputRequired(_l("Choose a check-out date."))],
        render_kw={"type": "date"},
    )
    # The property's own limits are judged by check_stay().
    guests = IntegerField(
        _l("Guests"), default=2, validators=[InputRequired(_l("Enter the number of guests."))]
    )
    coupon = StringField(
        _l("Coupon code (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=32, message=_l("A coupon code has at most 32 characters.")),
        ],
        render_kw={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"},
    )

    def stay(self) -> Stay | None:
        """The stay, when its three fields are well formed."""
        if any(f.errors for f in (self.check_in, self.check_out, self.guests)):
            return None
        return Stay(self.check_in.data, self.check_out.data, self.guests.data)

    def validate_for(self, prop: Property) -> bool:
        """Check the fields, then the property's rules for the stay and whether it may use
        the coupon; messages go on the fields."""
        self.validate()
        if stay := self.stay():
            try:
                check_stay(prop, stay, prop.local_today())
            except InvalidStay as error:
                add_field_errors(self, error.fields)
            if self.coupon.data and not self.coupon.errors:
                try:
                    coupon_for(prop, stay, self.coupon.data)
                except InvalidFields as error:
                    add_field_errors(self, error.fields)
        return not self.errors


class ReservationForm(StayForm):
    class Meta:
        csrf = True

    # A new key each time the page is shown: the page that Back brings up again sends
    # the same one, and gets the same reservation.
    submission_key = SubmissionKeyField()

    name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=200), one_line],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            mail_can_reach,
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=40), one_line],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    message = TextAreaField(
        _l("Message to the host (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000)],
    )

    def posted_key(self) -> str | None:
        """The one-time key the form was sent with; None when it came without one (a script)."""
        return self.submission_key.data if self.submission_key.raw_data else None

    def guest(self) -> Guest:
        return Guest(
            name=self.name.data,
            email=self.email.data,
            phone=self.phone.data or "",
            message=self.message.data or "",
        )


class CancelForm(FlaskForm):
    """Only the CSRF token; the guest token travels beside it."""


class FindBookingForm(FlaskForm):
    """A reservation's code and the guest's e-mail: its link is mailed to that address."""

    code = StringField(
        _l("Reservation code"),
        # "k7qx 2mpd" is K7QX-2MPD: codes are stored in capitals.
        filters=[strip, lambda s: s.upper().replace(" ", "-") if s else s],
        validators=[
            DataRequired(_l("Enter the code from your confirmation, like K7QX-2MPD.")),
            Length(max=16, message=_l("A reservation code has at most 16 characters.")),
        ],
        render_kw={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"},
        description=_l("In the subject of your confirmation, like K7QX-2MPD."),
    )
    email = EmailField(
        _l("E-mail you booked with"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class PhoneBookingForm(ReservationForm):
    """The booking form as a host fills it in for a guest on the phone, for any place."""

    property = SelectField(_l("Place"), validators=[InputRequired(_l("Choose the place."))])
    # Left out of a post: the site's language.
    locale = SelectField(
        _l("Guest's language"),
        description=_l("Of the guest's mail and pages."),
        validators=[Optional()],
    )

    def __init__(self, places: list[Property], site_locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.property.choices = [("", _("Choose a place…"))] + [(p.slug, p.name) for p in places]
        self.locale.choices = language_choices()
        if not self.locale.data:
            self.locale.data = site_locale
        # The host types the guest's details, not their own.
        self.name.label.text = _("Guest's name")
        self.email.label.text = _("Guest's e-mail")
        self.phone.label.text = _("Guest's phone (optional)")
        self.message.label.text = _("Message from the guest (optional)")


class HostCancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, for the guest (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
        description=_l("Sent to the guest in the cancellation mail."),
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, for the guest (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
        description=_l("Sent to the guest in the mail that tells them."),
    )


class NotesForm(FlaskForm):
    notes = TextAreaField(
        _l("Notes"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("Only hosts see these; the guest never does."),
    )
