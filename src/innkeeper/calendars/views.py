import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, Response, current_app

from ..availability.services import TakenRange, unavailable_ranges
from ..properties.services import get_published
from .ics import availability_feed
from .models import describe_conflict

bp = Blueprint("calendars", __name__)
# Stored conflicts, as sentences in the reader's language, for pages and mail.
bp.add_app_template_filter(describe_conflict, "conflict")

# Ranges that ended this long ago are left out of the feed.
FEED_HISTORY = timedelta(days=30)


def _opaque(code: str) -> str:
    """A stable event id that does not reveal the reservation code to other sites."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"feed-uid:{code}".encode(), hashlib.sha256).hexdigest()[:24]


def _event_key(taken: TakenRange, first_of_owner: bool) -> str:
    owner = taken.owner
    if owner.reservation_code:
        key = f"stay-{_opaque(owner.reservation_code)}"
    else:
        key = f"block-{owner.block_id}"
    # An event of another site whose nights are split by a conflict: one event per run.
    return key if first_of_owner else f"{key}-{taken.start.isoformat()}"


@bp.get("/properties/<slug>/calendar.ics")
def feed(slug: str):
    """Every unavailable range as an all-day event, for other sites to import; no guest data."""
    prop = get_published(slug)
    seen = set()
    ranges = []
    for taken in unavailable_ranges(prop.id, prop.local_today() - FEED_HISTORY):
        ranges.append((_event_key(taken, taken.owner not in seen), taken.start, taken.end))
        seen.add(taken.owner)
    response = Response(availability_feed(prop.name, ranges), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{prop.slug}.ics"'
    response.headers["Cache-Control"] = "no-cache"
    return response
