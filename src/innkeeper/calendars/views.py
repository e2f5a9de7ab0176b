from flask import Blueprint, Response, make_response, request

from ..properties.services import get_for_host
from .ics import availability_feed
from .models import describe_conflict
from .services import export_etag, export_events, export_feed_id

bp = Blueprint("calendars", __name__)
# Stored conflicts, as sentences in the reader's language, for pages and mail.
bp.add_app_template_filter(describe_conflict, "conflict")


@bp.get("/properties/<slug>/calendar.ics")
def feed(slug: str):
    """Every unavailable range as an all-day event, for other sites to import; no guest data.

    ?for=<token> is a subscription's own link: it leaves out that feed's events, so that
    the site they come from does not get them back. 304 when the ETag still holds.
    """
    prop = get_for_host(slug)  # hidden places keep their feed: other sites stay in step
    token = request.args.get("for")
    without_feed = export_feed_id(prop, token) if token else None
    etag = export_etag(prop, without_feed)
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        body = availability_feed(prop.name, export_events(prop, without_feed))
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'inline; filename="{prop.slug}.ics"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response
