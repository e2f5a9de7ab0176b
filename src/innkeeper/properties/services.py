"""The places: finding them for guests and hosts, and the host's changes to them."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..activity.models import ACTIONS
from ..activity.services import changes_between, record
from ..clock import utcnow
from ..database import write_transaction
from ..exceptions import InvalidFields, InvalidTransition, NotFound
from ..extensions import db
from ..money import Money
from ..submissions import claim
from .models import FormerSlug, Property

ACTIONS.update(
    {
        "property.created": _l("created the place"),
        "property.updated": _l("changed the place"),
        "property.published": _l("published the place"),
        "property.unpublished": _l("hid from guests the place"),
        "property.deleted": _l("deleted the place"),
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
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _snapshot(prop: Property, names) -> dict:
    return {name: shown(getattr(prop, name)) for name in names}


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
    """Hide the place for good, once no stay is still to come; its past stays are kept."""
    with write_transaction():
        upcoming = sum(check(prop, today) for check in deletion_checks)
        if upcoming:
            raise InvalidTransition("property_has_upcoming_stays", count=upcoming)
        prop.deleted_at = utcnow()
        prop.published = False
        record("property.deleted", prop.name, property_id=prop.id)
