import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, Response, current_app
from sqlalchemy import select

from ..extensions import db
from ..properties.models import Block
from ..properties.services import get_published
from ..reservations.models import Reservation
from .ics import availability_feed

bp = Blueprint("calendars", __name__)

# Ranges that ended this long ago are left out of the feed.
FEED_HISTORY = timedelta(days=30)


def _opaque(code: str) -> str:
    """A stable event id that does not reveal the reservation code to other sites."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"feed-uid:{code}".encode(), hashlib.sha256).hexdigest()[:24]


@bp.get("/properties/<slug>/calendar.ics")
def feed(slug: str):
    """Every unavailable range as an all-day event, for other sites to import; no guest data."""
    prop = get_published(slug)
    since = prop.local_today() - FEED_HISTORY
    reservations = db.session.execute(
        select(Reservation.code, Reservation.check_in, Reservation.check_out).where(
            Reservation.property_id == prop.id,
            Reservation.status == Reservation.CONFIRMED,
            Reservation.check_out >= since,
        )
    ).all()
    blocks = db.session.execute(
        select(Block.id, Block.start_date, Block.end_date).where(
            Block.property_id == prop.id, Block.end_date >= since
        )
    ).all()
    ranges = [(f"stay-{_opaque(r.code)}", r.check_in, r.check_out) for r in reservations]
    ranges += [(f"block-{b.id}", b.start_date, b.end_date) for b in blocks]
    ranges.sort(key=lambda r: r[1])
    response = Response(availability_feed(prop.name, ranges), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{prop.slug}.ics"'
    response.headers["Cache-Control"] = "no-cache"
    return response
