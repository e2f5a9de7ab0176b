from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..forms import one_line, strip
from ..submissions import SubmissionKeyField
from .images import ACCEPTED, MAX_BYTES
from .models import ALT_MAX_LENGTH, Photo


def alt_field(label, description="") -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(_l("Describe the photo in a few words, for guests who cannot see it.")),
            Length(
                max=ALT_MAX_LENGTH,
                message=_l("Keep it to %(max)d characters or fewer."),
            ),
            one_line,
        ],
        description=description,
        render_kw={"maxlength": ALT_MAX_LENGTH},
    )


class UploadForm(FlaskForm):
    """A new photo: the file, judged by its content in the service, and its description."""

    submission_key = SubmissionKeyField()
    photo = FileField(
        _l("Photo"),
        validators=[FileRequired(_l("Choose a photo to upload."))],
        description=_l("JPEG, PNG or WebP, at most %(size)d MB.", size=MAX_BYTES // 1024 // 1024),
        render_kw={"accept": ",".join(f"image/{name.lower()}" for name in ACCEPTED)},
    )
    alt = alt_field(
        _l("What the photo shows"),
        _l("Read out to guests who cannot see the photo, e.g. “The porch with two hammocks”."),
    )


class AltForm(FlaskForm):
    """One photo's description; each photo on the page has its own, with ids of its own."""

    alt = alt_field(_l("What the photo shows"))


def alt_form(photo: Photo, formdata=None) -> AltForm:
    """The description form of `photo`, filled from `formdata` or else from the photo."""
    form = AltForm(formdata=formdata, data=None if formdata else {"alt": photo.alt})
    form.alt.id = form.alt.label.field_id = f"alt-{photo.id}"
    return form
