"""The host's view of outgoing mail."""

from flask import Blueprint, abort

from ..extensions import db
from ..host.auth import host_required
from ..web import page_or_fragment
from .models import OutboxMessage

MAX_ID = 2**31 - 1

bp = Blueprint("mail_admin", __name__, url_prefix="/host/mail")


@bp.get("/<int:message_id>")
@host_required
def message(message_id: int):
    """One outgoing message as the guest or host receives it (captured or sent)."""
    if message_id > MAX_ID:
        abort(404)  # no such row, and larger than the database's integers
    message = db.get_or_404(OutboxMessage, message_id)
    return page_or_fragment("mail/message.html", "content", message=message)
