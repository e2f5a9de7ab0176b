from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from ..forms import language_choices, mail_can_reach, one_line, strip
from .models import FIELDS, SiteSettings


class SettingsForm(FlaskForm):
    """The site's name, who its mail comes from and where replies go."""

    site_name = StringField(
        _l("Site name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the name guests know the site by.")),
            Length(max=80),
            one_line,
        ],
        description=_l("In every page's title and header, and in the mail."),
    )
    default_locale = SelectField(
        _l("Site language"),
        choices=language_choices,
        validate_choice=True,
        description=_l(
            "For guests who have not chosen a language and whose browser asks for none the"
            " site speaks."
        ),
    )
    sender_name = StringField(
        _l("Mail sender's name"),
        filters=[strip],
        validators=[Length(max=80), one_line],
        description=_l("Empty: the site name."),
    )
    sender_address = EmailField(
        _l("Mail sender's address"),
        filters=[strip],
        validators=[Optional(), Length(max=254), mail_can_reach],
        description=_l(
            "Empty: the server's MAIL_DEFAULT_SENDER. The mail server must be allowed to send"
            " from it."
        ),
    )
    reply_to = EmailField(
        _l("Replies go to"),
        filters=[strip],
        validators=[Optional(), Length(max=254), mail_can_reach],
        description=_l("Your own address, so that a guest who answers a mail reaches a person."),
    )
    host_contact = TextAreaField(
        _l("Host contact"),
        filters=[strip],
        validators=[Length(max=1000)],
        description=_l(
            "Phone or address for booked guests; a place's own contact, when it has one, comes"
            " first."
        ),
    )

    @classmethod
    def of(cls, settings: SiteSettings) -> "SettingsForm":
        return cls(formdata=None, obj=settings)

    def values(self) -> dict:
        return {name: self[name].data or "" for name in FIELDS}


class CoHostForm(FlaskForm):
    """A co-host's account: their address and a first password to tell them."""

    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[InputRequired(_l("Enter the co-host's e-mail address."))],
        render_kw={"autocomplete": "off"},
    )
    password = PasswordField(
        _l("First password"),
        validators=[InputRequired(_l("Enter a password for them."))],
        description=_l("At least 12 characters. Tell it to them; they can change it once in."),
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(FlaskForm):
    """A new password for the host signed in, after the one they have now."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter the password you signed in with."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(_l("Enter a new password."))],
        description=_l("At least 12 characters; a few unrelated words make a good one."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(_l("Enter the new password again.")),
            EqualTo("new_password", _l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(FlaskForm):
    """The language of one host's own pages and mail."""

    locale = SelectField(
        _l("Your language"),
        choices=lambda: [("", _l("As for guests")), *language_choices()],
        validate_choice=True,
        description=_l("Of your host pages and of the mail you get from the site."),
    )
