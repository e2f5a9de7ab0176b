"""The places: finding them for guests and hosts, and the host's changes to them."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select

from ..activity.models import ACTIONS
from ..activity.services import changes_between, record
from ..clock import utcnow
from ..database import lock_property, write_transaction
from ..exceptions import BookedByUnit, InvalidFields, InvalidTransition, NotFound
from ..extensions import db
from ..locales import language_in_words, language_name, supported
from ..money import Money
from ..submissions import claim
from .models import TRANSLATED_FIELDS, FormerSlug, Property, Translation

ACTIONS.update(
    {
        "property.created": _l("created the place"),
        "property.updated": _l("changed the place"),
        "property.published": _l("published the place"),
        "property.unpublished": _l("hid from guests the place"),
        "property.deleted": _l("deleted the place"),
        "property.translated": _l("changed a translation of the place"),
    }
)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Features that own things of a place (stays, say) register a check here; each
# answers how many of them still to come stand in the way of deleting it.
deletion_checks: list[Callable[[Property, date], int]] = []


def get_published(slug: str) -> Property:
    """The published property with this slug; NotFound (404) otherwise."""
    prop = db.session.scalar(select(Property).filter_by(slug=slug, published=True))
    if prop is None:
        raise NotFound("property_not_found")
    return prop


def get_for_host(slug: str) -> Property:
    """A place of the site, published or not (deleted ones are gone)."""
    prop = db.session.scalar(select(Property).filter_by(slug=slug, deleted_at=None))
    if prop is None:
        raise NotFound("property_unknown", slug=slug)
    return prop


def list_top_level() -> list[Property]:
    """The published places guests browse: a place with units stands for them."""
    return list(
        db.session.scalars(
            select(Property).filter_by(published=True, parent_id=None).order_by(Property.name)
        )
    )


def possible_parents(prop: Property | None) -> list[Property]:
    """The places `prop` may be made part of: those part of no other, never itself; none
    when it has units of its own (one level only)."""
    if prop is not None and prop.has_units:
        return []
    query = select(Property).filter_by(deleted_at=None, parent_id=None).order_by(Property.name)
    if prop is not None:
        query = query.where(Property.id != prop.id)
    return list(db.session.scalars(query))


def list_for_host() -> list[Property]:
    return list(
        db.session.scalars(select(Property).filter_by(deleted_at=None).order_by(Property.name))
    )


def current_slug(former: str) -> str | None:
    """The address a renamed place has now, for links made under its old one."""
    return db.session.scalar(
        select(Property.slug).join(FormerSlug).where(FormerSlug.slug == former)
    )


def slug_from(name: str) -> str:
    """A URL address from a name: "Casa Ñandú" -> "casa-nandu"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "place"


def _check_slug(slug: str, prop: Property | None = None) -> None:
    if not SLUG.fullmatch(slug):
        raise InvalidFields.on("slug", "slug_format")
    owner = db.session.scalar(select(Property.id).filter_by(slug=slug))
    former_owner = db.session.scalar(select(FormerSlug.property_id).filter_by(slug=slug))
    mine = prop.id if prop else None
    if (owner is not None and owner != mine) or (former_owner is not None and former_owner != mine):
        raise InvalidFields.on("slug", "slug_taken", slug=slug)


def shown(value) -> str | None:
    """A value as the activity log shows it."""
    if value is None:
        return None
    if isinstance(value, Money):
        return f"{value.amount} {value.currency}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, Property):
        return value.name
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _snapshot(prop: Property, names) -> dict:
    return {name: shown(getattr(prop, name)) for name in names}


def _has_units(prop: Property) -> bool:
    """Read afresh: another host may have just given the place a unit."""
    return db.session.scalar(
        select(exists().where(Property.parent_id == prop.id, Property.deleted_at.is_(None)))
    )


def refuse_booked_by_unit(prop: Property) -> None:
    """BookedByUnit (409) for a place with units: each unit is booked, never the whole.

    Run it under the place's lock when booking: giving a place a unit takes that lock too.
    """
    if _has_units(prop):
        raise BookedByUnit("booked_by_unit", name=prop.name)


def _parent_from(prop: Property | None, slug: str | None) -> Property | None:
    """The place `prop` is to be part of (None: none), judged under both places' locks, so
    that two hosts nesting places at once cannot make a second level between them."""
    if not slug:
        return None
    parent = db.session.scalar(select(Property).filter_by(slug=slug, deleted_at=None))
    if parent is None:
        raise InvalidFields.on("parent", "parent_unknown", slug=slug)
    if prop is not None and parent.id == prop.id:
        raise InvalidFields.on("parent", "parent_is_itself")
    for property_id in sorted({parent.id, *([prop.id] if prop is not None else [])}):
        lock_property(property_id)
    grandparent = db.session.scalar(select(Property.parent_id).filter_by(id=parent.id))
    if grandparent is not None:
        above = db.session.get(Property, grandparent)
        raise InvalidFields.on("parent", "parent_is_a_unit", name=parent.name, parent=above.name)
    if prop is not None and _has_units(prop):
        raise InvalidFields.on("parent", "unit_has_units")
    return parent


def _assign(prop: Property, values: dict) -> None:
    # The currency first: amounts are checked against it.
    if "currency" in values:
        prop.currency = values["currency"]
    for name, value in values.items():
        setattr(prop, name, value)


def create_property(values: dict, *, submission_key: str | None = None) -> Property:
    """A new place from the host's form values; the slug is made from the name if not given."""
    with write_transaction() as session:
        values = dict(values)
        values["slug"] = values.get("slug") or slug_from(values["name"])
        _check_slug(values["slug"])
        if "parent" in values:
            values["parent"] = _parent_from(None, values["parent"])
        prop = Property()
        _assign(prop, values)
        session.add(prop)
        session.flush()
        claim(submission_key, prop.slug)
        record(
            "property.created",
            prop.name,
            property_id=prop.id,
            changes=changes_between({}, _snapshot(prop, values)),
        )
    return prop


def update_property(prop: Property, values: dict) -> Property:
    """Change the given fields; a new slug keeps the old one redirecting."""
    with write_transaction():
        before = _snapshot(prop, values)
        if "parent" in values:
            values = {**values, "parent": _parent_from(prop, values["parent"])}
        old_slug = prop.slug
        new_slug = values.get("slug") or old_slug
        if new_slug != old_slug:
            _check_slug(new_slug, prop)
            db.session.execute(delete(FormerSlug).filter_by(slug=new_slug))
            db.session.add(FormerSlug(slug=old_slug, property_id=prop.id))
        _assign(prop, {**values, "slug": new_slug})
        changes = changes_between(before, _snapshot(prop, values))
        if changes:
            record("property.updated", prop.name, property_id=prop.id, changes=changes)
    return prop


def set_published(prop: Property, published: bool) -> bool:
    """Show the place to guests or hide it; False when it already was so."""
    with write_transaction():
        if prop.published == published:
            return False
        prop.published = published
        action = "property.published" if published else "property.unpublished"
        record(action, prop.name, property_id=prop.id)
    return True


def delete_property(prop: Property, today: date) -> None:
    """Hide the place for good, once no stay is still to come and no unit is part of it;
    its past stays are kept."""
    with write_transaction():
        lock_property(prop.id)
        units = db.session.scalars(
            select(Property.name).filter_by(parent_id=prop.id, deleted_at=None)
        ).all()
        if units:
            raise InvalidTransition("property_has_units", names=", ".join(units))
        upcoming = sum(check(prop, today) for check in deletion_checks)
        if upcoming:
            raise InvalidTransition("property_has_upcoming_stays", count=upcoming)
        prop.deleted_at = utcnow()
        prop.published = False
        record("property.deleted", prop.name, property_id=prop.id)


def translation_language(prop: Property, locale: str) -> str:
    """The language a translation of `prop` may be in: one the site speaks, other than
    the place's own; NotFound (404) otherwise."""
    if supported(locale) != locale:
        raise NotFound("language_unknown", code=locale)
    if locale == prop.locale:
        raise NotFound("translation_is_original", language=language_in_words(locale))
    return locale


def _or_none(texts: dict[str, str]) -> dict[str, str | None]:
    return {field: text or None for field, text in texts.items()}


def save_translation(prop: Property, locale: str, texts: dict[str, str]) -> bool:
    """Keep the host's words of `prop` in `locale` (all empty: no translation left);
    False when they already were these, as after a second submit of the same form."""
    translation_language(prop, locale)
    with write_transaction() as session:
        # One translation per language, whoever saves it at the same moment.
        lock_property(prop.id)
        translation = session.scalar(
            select(Translation).filter_by(property_id=prop.id, locale=locale)
        )
        before = translation.texts() if translation else dict.fromkeys(TRANSLATED_FIELDS, "")
        after = {field: texts.get(field, before[field]) for field in TRANSLATED_FIELDS}
        changes = changes_between(_or_none(before), _or_none(after))
        if not changes:
            return False
        if not any(after.values()):
            session.delete(translation)
        else:
            if translation is None:
                translation = Translation(property_id=prop.id, locale=locale)
                session.add(translation)
            for field, text in after.items():
                setattr(translation, field, text)
        record(
            "property.translated",
            f"{prop.name} · {language_name(locale)}",
            property_id=prop.id,
            changes=changes,
        )
    return True
