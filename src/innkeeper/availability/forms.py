from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..forms import IsoDateField, one_line, strip
from ..properties.models import last_bookable_night


class BlockForm(FlaskForm):
    """Nights the host closes: [start, end), like a stay."""

    start = IsoDateField(
        _l("First night"),
        validators=[InputRequired(_l("Choose the first night to close."))],
        render_kw={"type": "date"},
    )
    end = IsoDateField(
        _l("Open again from"),
        validators=[InputRequired(_l("Choose the day the place opens again."))],
        render_kw={"type": "date"},
        description=_l("The day after the last closed night, like a check-out."),
    )
    note = StringField(
        _l("Note (only hosts see it)"),
        filters=[strip],
        validators=[Length(max=200), one_line],
    )

    def validate_for(self, today: date) -> bool:
        """The fields, then the range: after the first night, from today, within the horizon."""
        if not self.validate():
            return False
        start, end = self.start.data, self.end.data
        if end <= start:
            self.end.errors.append(_l("Choose a day after the first night."))
        if start < today:
            self.start.errors.append(
                _l("Past nights cannot be closed (today there is %(today)s).", today=today)
            )
        latest = last_bookable_night(today) + timedelta(days=1)
        if end > latest:
            self.end.errors.append(
                _l("Nights open up to %(latest)s; choose that day or earlier.", latest=latest)
            )
        return not self.errors
