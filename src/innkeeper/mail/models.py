from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db

# What a failed attempt means for the host, by the error's kind; the server's words follow.
PROBLEMS = {
    "SMTPRecipientsRefused": _l("The mail server refused the recipient's address."),
    "SMTPSenderRefused": _l("The mail server refused the sender address (MAIL_DEFAULT_SENDER)."),
    "SMTPDataError": _l("The mail server refused the message."),
    "SMTPAuthenticationError": _l(
        "The mail server did not accept the user name and password (MAIL_USERNAME, MAIL_PASSWORD)."
    ),
    "SMTPNotSupportedError": _l("The mail server does not support what the settings ask for."),
    "SMTPServerDisconnected": _l("The mail server hung up before the message was sent."),
    "ConnectionRefusedError": _l("Nothing answered at the mail server's address (MAIL_SERVER)."),
    "TimeoutError": _l("The mail server did not answer in time."),
    "gaierror": _l("The mail server's name does not resolve (MAIL_SERVER)."),
}


class OutboxMessage(db.Model):
    """A message waiting to be sent, written in the transaction of the change it reports."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(255))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"filename": ..., "content_type": ..., "data": <text>}]
    attachments: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # From and Reply-To as the settings were when queued; "" for MAIL_DEFAULT_SENDER, none.
    sender: Mapped[str] = mapped_column(String(340), default="", server_default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Fixed when queued, so a message sent twice after a crash is recognisable.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservation.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def problem(self) -> str:
        """The last error as a sentence for the host; "" when there was none."""
        if not self.last_error:
            return ""
        kind, _, detail = self.last_error.partition(": ")
        sentence = PROBLEMS.get(kind)
        if sentence is None:
            return self.last_error
        return f"{sentence} ({detail})" if detail else str(sentence)

    def is_for_host(self) -> bool:
        """A notice to one host account (each co-host gets their own)."""
        return self.kind.startswith("host_")
