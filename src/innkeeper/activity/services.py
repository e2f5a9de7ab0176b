"""Recording host changes in the caller's transaction, and reading the log back."""

from flask import has_request_context
from sqlalchemy import select

from ..extensions import db
from ..host.auth import current_host
from ..host.models import Host
from .models import Activity


def record(
    action: str,
    subject: str,
    *,
    property_id: int | None = None,
    reservation_id: int | None = None,
    changes: dict | None = None,
    by: Host | None = None,
    actor: str | None = None,
) -> Activity:
    """Log `action` by `by` (default: the host signed in on this request; none on the CLI),
    or by someone else named `actor` (a guest paying by card)."""
    if by is None and actor is None and has_request_context():
        by = current_host()
    entry = Activity(
        host_id=by.id if by else None,
        actor=by.email if by else actor,
        action=action,
        subject=subject,
        property_id=property_id,
        reservation_id=reservation_id,
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


def changes_between(before: dict, after: dict) -> dict:
    """The fields whose shown value differs, as {field: [before, after]}."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def recent(
    *, property_id: int | None = None, reservation_id: int | None = None, before_id=None, limit=50
) -> list[Activity]:
    """The latest entries, newest first; `before_id` pages further back."""
    query = select(Activity).order_by(Activity.id.desc()).limit(limit)
    if property_id is not None:
        query = query.where(Activity.property_id == property_id)
    if reservation_id is not None:
        query = query.where(Activity.reservation_id == reservation_id)
    if before_id is not None:
        query = query.where(Activity.id < before_id)
    return list(db.session.scalars(query))
