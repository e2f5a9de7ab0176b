"""The host's dashboard: what needs attention across every feature, on one page."""

from datetime import timedelta

from flask import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .calendars.services import export_link, list_feeds
from .clock import utcnow
from .extensions import db
from .host.auth import host_required
from .mail.models import OutboxMessage
from .reservations.models import Reservation
from .web import page_or_fragment

bp = Blueprint("dashboard", __name__)


@bp.get("/host/")
@host_required
def show():
    """Stays not yet over, soonest first; the latest outgoing mail; other sites' calendars."""
    # A day's margin: the properties' own dates may be behind UTC's.
    since = utcnow().date() - timedelta(days=1)
    reservations = db.session.scalars(
        select(Reservation)
        .options(joinedload(Reservation.property))
        .where(Reservation.check_out >= since)
        .order_by(Reservation.check_in, Reservation.id)
        .limit(200)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    feeds = list_feeds()
    return page_or_fragment(
        "host/dashboard.html",
        "content",
        reservations=reservations,
        messages=messages,
        feeds=feeds,
        # Each subscription's own export link, for the host to give that site.
        feed_links={feed.id: export_link(feed) for feed in feeds},
    )
