"""The host's places: list, create, edit, publish, delete."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..exceptions import InvalidFields, InvalidTransition
from ..forms import add_field_errors, as_typed, with_posted
from ..host.auth import host_required
from ..locales import SUPPORTED, language_in_words
from ..money import Money
from ..submissions import earlier_result
from ..web import page_or_fragment, see_other
from .forms import EditPropertyForm, PropertyForm, TranslationForm
from .models import TRANSLATED_FIELDS, Property
from .services import (
    create_property,
    delete_property,
    get_for_host,
    list_for_host,
    possible_parents,
    save_translation,
    set_published,
    shown,
    translation_language,
    update_property,
)

bp = Blueprint("properties_admin", __name__, url_prefix="/host/properties")


def _form_page(form, prop: Property | None, status: int = 200):
    form.offer_parents(possible_parents(prop))
    return page_or_fragment(
        "properties/admin/edit.html",
        "page",
        status,
        form=form,
        prop=prop,
        heading=_heading(form, prop),
        translations=_translation_progress(prop) if prop else [],
    )


def _heading(form, prop: Property | None) -> str:
    if prop is not None:
        return prop.name
    return _("Add a room or unit") if form.parent.data else _("Add a place")


def _translation_progress(prop: Property) -> list[tuple[str, int, int]]:
    """(language, texts translated, texts written) for each language besides the place's."""
    written = [field for field in TRANSLATED_FIELDS if getattr(prop, field)]
    progress = []
    for code in SUPPORTED:
        if code != prop.locale:
            translation = prop.translations.get(code)
            done = sum(1 for field in written if translation and getattr(translation, field))
            progress.append((code, done, len(written)))
    return progress


def formdata_of(prop: Property) -> MultiDict:
    """The place's current values as the edit form would post them."""
    data = MultiDict()
    for name in EditPropertyForm().data:
        if name in ("csrf_token", "submission_key"):
            continue
        value = getattr(prop, name)
        if name == "amenities":
            data.setlist(name, list(value))
        elif name == "parent":
            data[name] = value.slug if value else ""
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = as_typed(value) if isinstance(value, Money) else shown(value) or ""
    return data


@bp.get("")
@host_required
def index():
    """Every place of the site, published or not."""
    return page_or_fragment("properties/admin/index.html", "page", places=list_for_host())


# What a new unit takes from its place ("Add a unit"): the host changes them if need be.
SHARED_WITH_UNITS = (
    "currency",
    "timezone",
    "area",
    "address",
    "check_in_time",
    "check_out_time",
    "host_contact",
    "house_rules",
)


@bp.get("/new")
@host_required
def new():
    """An empty place form; ?parent=<slug> starts a unit of that place, with its details."""
    form = PropertyForm(formdata=None)
    parent = next((p for p in possible_parents(None) if p.slug == request.args.get("parent")), None)
    if parent is not None:
        form.parent.data = parent.slug
        for name in SHARED_WITH_UNITS:
            form[name].data = getattr(parent, name)
    return _form_page(form, None)


def _defaults() -> MultiDict:
    """A new place's values for the fields a script may leave out (published is off then)."""
    form = PropertyForm(formdata=None)
    return MultiDict(
        {
            name: str(field.data)
            for name, field in form._fields.items()
            if field.data not in (None, "", [])
            and name not in ("published", "submission_key", "csrf_token")
        }
    )


@bp.post("")
@host_required
def create():
    """Create a place; a second submit of the same form leads to the place the first made."""
    form = PropertyForm(formdata=with_posted(_defaults(), request.form))
    if slug := earlier_result(form.submission_key.data):
        return see_other(url_for(".show", slug=slug))
    values = form.values()
    if values is None:
        return _form_page(form, None, 422)
    try:
        prop = create_property(values, submission_key=form.submission_key.data)
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _form_page(form, None, 422)
    except IntegrityError:
        if slug := earlier_result(form.submission_key.data):
            return see_other(url_for(".show", slug=slug))
        raise
    flash(_("%(name)s was created.", name=prop.name))
    return see_other(url_for(".show", slug=prop.slug))


@bp.get("/<slug>")
@host_required
def show(slug: str):
    """The place's host page: its details form, and whether guests see it."""
    prop = get_for_host(slug)
    return _form_page(EditPropertyForm(formdata=formdata_of(prop)), prop)


@bp.post("/<slug>")
@host_required
def update(slug: str):
    """Change the fields sent; the ones left out keep their values."""
    prop = get_for_host(slug)
    form = EditPropertyForm(formdata=with_posted(formdata_of(prop), request.form))
    values = form.values()
    if values is None:
        return _form_page(form, prop, 422)
    try:
        update_property(prop, values)
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _form_page(form, prop, 422)
    flash(_("Your changes to %(name)s are saved.", name=prop.name))
    return see_other(url_for(".show", slug=prop.slug))


@bp.post("/<slug>/publish")
@host_required
def publish(slug: str):
    prop = get_for_host(slug)
    if set_published(prop, True):
        flash(_("%(name)s is now shown to guests.", name=prop.name))
    return see_other(url_for(".show", slug=prop.slug))


@bp.post("/<slug>/unpublish")
@host_required
def unpublish(slug: str):
    prop = get_for_host(slug)
    if set_published(prop, False):
        flash(_("%(name)s is hidden from guests; its calendar feed still answers.", name=prop.name))
    return see_other(url_for(".show", slug=prop.slug))


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@host_required
def delete(slug: str):
    """Ask first; delete only a place with no stay still to come."""
    prop = get_for_host(slug)
    if request.method == "GET":
        return page_or_fragment("properties/admin/delete.html", "page", prop=prop)
    try:
        delete_property(prop, prop.local_today())
    except InvalidTransition as error:
        return page_or_fragment(
            "properties/admin/delete.html", "page", 409, prop=prop, problem=error.message
        )
    flash(_("%(name)s was deleted.", name=prop.name))
    return see_other(url_for(".index"))


def _translation_page(form, prop: Property, locale: str, status: int = 200):
    labels = {name: form[name].label.text for name in TRANSLATED_FIELDS}
    # "Name · Spanish", beside the "Name · English" it translates.
    for name, label in labels.items():
        form[name].label.text = f"{label} · {language_in_words(locale)}"
    return page_or_fragment(
        "properties/admin/translation.html",
        "page",
        status,
        form=form,
        prop=prop,
        locale=locale,
        labels=labels,
    )


def _translated_texts(prop: Property, locale: str) -> MultiDict:
    translation = prop.translations.get(locale)
    return MultiDict(translation.texts() if translation else {})


@bp.get("/<slug>/translations/<locale>")
@host_required
def translation(slug: str, locale: str):
    """The place's words in another language, each beside the original."""
    prop = get_for_host(slug)
    translation_language(prop, locale)
    return _translation_page(
        TranslationForm(formdata=_translated_texts(prop, locale)), prop, locale
    )


@bp.post("/<slug>/translations/<locale>")
@host_required
def save_translated(slug: str, locale: str):
    """Keep the words sent; the fields left out keep theirs, an empty one shows the original."""
    prop = get_for_host(slug)
    translation_language(prop, locale)
    form = TranslationForm(formdata=with_posted(_translated_texts(prop, locale), request.form))
    texts = form.texts()
    if texts is None:
        return _translation_page(form, prop, locale, 422)
    save_translation(prop, locale, texts)
    flash(
        _(
            "The %(language)s words of %(name)s are saved.",
            language=language_in_words(locale),
            name=prop.name,
        )
    )
    return see_other(url_for(".show", slug=prop.slug, _anchor="languages"))
