from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, URLField
from wtforms.validators import InputRequired, Length

from ..forms import one_line, strip


class FeedForm(FlaskForm):
    """Another site's calendar link, and what to call it."""

    url = URLField(
        _l("Calendar link (iCalendar, .ics)"),
        filters=[strip],
        validators=[
            InputRequired(_l("Paste the calendar link the other site gives.")),
            Length(max=2000),
        ],
        description=_l(
            "Airbnb: Calendar, Availability, Connect calendars, Export. Booking.com: Rates &"
            " availability, Sync calendars, Export."
        ),
    )
    label = StringField(
        _l("Name (optional)"),
        filters=[strip],
        validators=[Length(max=100), one_line],
        description=_l("By default the site's name, such as Airbnb."),
    )


class FeedAddressForm(FlaskForm):
    """A new link for a calendar the place already follows."""

    url = URLField(
        _l("New calendar link"),
        filters=[strip],
        validators=[
            InputRequired(_l("Paste the calendar link the other site gives.")),
            Length(max=2000),
        ],
    )
