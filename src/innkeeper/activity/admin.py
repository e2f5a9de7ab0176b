from flask import Blueprint, request

from ..host.auth import host_required
from ..web import page_or_fragment
from .services import recent

bp = Blueprint("activity", __name__, url_prefix="/host/activity")

PAGE_SIZE = 50


@bp.get("/")
@host_required
def index():
    """Every change hosts made, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    entries = recent(before_id=before, limit=PAGE_SIZE + 1)
    older = entries[PAGE_SIZE - 1].id if len(entries) > PAGE_SIZE else None
    return page_or_fragment("activity/index.html", "page", entries=entries[:PAGE_SIZE], older=older)
