"""The host's photos of a place: upload, describe, order, delete."""

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..exceptions import InvalidFields
from ..host.auth import host_required
from ..properties.models import Property
from ..properties.services import get_for_host
from ..submissions import earlier_result
from ..web import page_or_fragment, see_other
from .forms import UploadForm, alt_form
from .services import add_photo, delete_photo, describe_photo, get_photo, move_photo

bp = Blueprint("photos_admin", __name__, url_prefix="/host/properties")


def _page(prop: Property, upload=None, edited=None, status: int = 200):
    """The photos page; `edited` is a description form posted with a mistake, shown as sent."""
    forms = {}
    for number, photo in enumerate(prop.photos, 1):
        posted = edited is not None and edited.alt.id == f"alt-{photo.id}"
        form = edited if posted else alt_form(photo)
        # Each photo's field has a name of its own for screen readers.
        form.alt.label.text = _("What photo %(number)s shows", number=number)
        forms[photo.id] = form
    return page_or_fragment(
        "photos/manage.html",
        "page",
        status,
        prop=prop,
        upload=upload or UploadForm(formdata=None),
        alt_forms=forms,
    )


def _back_to(prop: Property):
    return see_other(url_for(".index", slug=prop.slug))


@bp.get("/<slug>/photos")
@host_required
def index(slug: str):
    """The place's photos in the order guests see them, and the form to add one."""
    return _page(get_for_host(slug))


@bp.post("/<slug>/photos")
@host_required
def upload(slug: str):
    """Add a photo, judged by its content; a second submit of the same form adds nothing."""
    prop = get_for_host(slug)
    form = UploadForm()
    if earlier_result(form.submission_key.data):
        return _back_to(prop)
    if not form.validate():
        return _page(prop, upload=form, status=422)
    try:
        key = form.submission_key.data
        add_photo(prop, form.photo.data.stream, form.alt.data, submission_key=key)
    except InvalidFields as error:
        form.photo.errors = [*form.photo.errors, *error.fields["photo"]]
        return _page(prop, upload=form, status=422)
    except IntegrityError:
        if earlier_result(form.submission_key.data):
            return _back_to(prop)
        raise
    flash(_("The photo was added; guests see it last until you move it."))
    return _back_to(prop)


@bp.post("/<slug>/photos/<int:photo_id>")
@host_required
def describe(slug: str, photo_id: int):
    """Change what the photo is described as."""
    prop = get_for_host(slug)
    photo = get_photo(prop, photo_id)
    form = alt_form(photo, request.form)
    if not form.validate():
        return _page(prop, edited=form, status=422)
    if describe_photo(photo, form.alt.data):
        flash(_("The description is saved."))
    return _back_to(prop)


@bp.post("/<slug>/photos/<int:photo_id>/move")
@host_required
def move(slug: str, photo_id: int):
    """Move the photo one place up (`direction=up`) or down; at either end nothing changes."""
    prop = get_for_host(slug)
    photo = get_photo(prop, photo_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400, _("Say which way to move the photo: direction=up or direction=down."))
    move_photo(photo, step)
    return _back_to(prop)


@bp.route("/<slug>/photos/<int:photo_id>/delete", methods=["GET", "POST"])
@host_required
def delete(slug: str, photo_id: int):
    """Ask first, then delete the photo and its files."""
    prop = get_for_host(slug)
    photo = get_photo(prop, photo_id)
    if request.method == "GET":
        return page_or_fragment("photos/delete.html", "page", prop=prop, photo=photo)
    delete_photo(photo)
    flash(_("The photo was deleted."))
    return _back_to(prop)
