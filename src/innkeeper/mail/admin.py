"""The host's view of outgoing mail."""

from flask import Blueprint

from ..extensions import db
from ..host.auth import host_required
from ..web import page_or_fragment
from .models import OutboxMessage

bp = Blueprint("mail_admin", __name__, url_prefix="/host/mail")


@bp.get("/<int:message_id>")
@host_required
def message(message_id: int):
    """One outgoing message as the guest or host receives it (captured or sent)."""
    message = db.get_or_404(OutboxMessage, message_id)
    return page_or_fragment("mail/message.html", "content", message=message)
