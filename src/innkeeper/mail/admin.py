"""The host's view of outgoing mail: the outbox, each message as sent, sending again."""

import json

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, or_, select

from ..extensions import db
from ..host.auth import current_host, host_required
from ..web import page_or_fragment, see_other
from .models import OutboxMessage
from .outbox import resend, to_mail_message

MAX_ID = 2**31 - 1
PAGE_SIZE = 50
STATUSES = (OutboxMessage.FAILED, OutboxMessage.QUEUED, OutboxMessage.SENT)

bp = Blueprint("mail_admin", __name__, url_prefix="/host/mail")

STATUS_NAMES = {
    OutboxMessage.QUEUED: _l("Waiting"),
    OutboxMessage.SENDING: _l("Sending"),
    OutboxMessage.SENT: _l("Sent"),
    OutboxMessage.FAILED: _l("Failed"),
}


@bp.app_template_filter("mail_status")
def mail_status(status: str) -> str:
    return str(STATUS_NAMES.get(status, status))


def visible_to_host():
    """Guests' mail, and the notices meant for this host: not those of co-hosts."""
    address = current_host().email
    return or_(
        ~OutboxMessage.kind.startswith("host_"),
        # The JSON list as text holds each address as a JSON string.
        cast(OutboxMessage.recipients, String).contains(json.dumps(address), autoescape=True),
    )


def _visible(message_id: int) -> OutboxMessage:
    if message_id > MAX_ID:
        abort(404)  # no such row, and larger than the database's integers
    message = db.get_or_404(OutboxMessage, message_id)
    if message.is_for_host() and current_host().email not in message.recipients:
        abort(404)
    return message


@bp.get("")
@host_required
def outbox():
    """Every message, newest first, with its state; `?status=failed` for the ones to see to."""
    status = request.args.get("status")
    before = request.args.get("before", type=int)
    query = select(OutboxMessage).where(visible_to_host()).order_by(OutboxMessage.id.desc())
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    if before is not None and before <= MAX_ID:
        query = query.where(OutboxMessage.id < before)
    messages = db.session.scalars(query.limit(PAGE_SIZE + 1)).all()
    older = messages[PAGE_SIZE - 1].id if len(messages) > PAGE_SIZE else None
    return page_or_fragment(
        "mail/outbox.html",
        "page",
        messages=messages[:PAGE_SIZE],
        status=status if status in STATUSES else None,
        statuses=STATUSES,
        older=older,
    )


@bp.get("/<int:message_id>")
@host_required
def message(message_id: int):
    """One outgoing message as the guest or host receives it (captured or sent)."""
    return page_or_fragment("mail/message.html", "page", message=_visible(message_id))


@bp.get("/<int:message_id>.eml")
@host_required
def raw(message_id: int):
    """The message as a file a mail program opens."""
    message = _visible(message_id)
    return Response(
        to_mail_message(message).as_bytes(),
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="message-{message.id}.eml"'},
    )


@bp.post("/<int:message_id>/resend")
@host_required
def send_again(message_id: int):
    """Queue a failed message again; a second click, once queued, changes nothing."""
    message = _visible(message_id)
    if resend(message):
        flash(_("The message is queued again; the worker sends it on its next round."))
    return see_other(url_for(".message", message_id=message.id))
