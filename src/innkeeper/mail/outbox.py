"""The outbox: queue mail in the caller's transaction, send it later.

Delivery is at least once. A message goes out once unless a worker dies while
sending it, or one send outlasts STALE_CLAIM; then it goes out again with the same
Message-ID. Workers may run at once: each renews its claim on a message just before
sending it, and records the outcome only while it still holds that claim.
"""

import contextlib
import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mail import Connection
from icalendar import Calendar
from sqlalchemy import delete, select, update

from ..activity.models import ACTIONS
from ..activity.services import record
from ..addresses import ascii_address
from ..clock import utcnow
from ..database import write_transaction
from ..extensions import db
from ..settings.services import sender, site_settings
from ..web import render_block, site_domain
from .models import OutboxMessage

log = logging.getLogger(__name__)

ACTIONS["mail.resent"] = _l("sent again the message")

# Wait before retrying a message the server refused: 1 min, 5 min, 30 min, 2 h, then 6 h.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 30, 120, 360)]
# A message left "sending" this long belongs to a worker that died: send it again.
STALE_CLAIM = timedelta(minutes=10)
# Claimed together: a worker that dies leaves at most this many waiting for STALE_CLAIM.
BATCH_SIZE = 10


class MailServerUnavailable(Exception):
    """The SMTP server cannot be reached, or hung up: the messages not yet tried wait."""


def queue(
    kind: str,
    recipients: list[str],
    *,
    locale: str | None = None,
    reservation_id: int | None = None,
    attachments=(),
    reply_to: str | None = None,
    **context,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; it is sent after commit.

    Subject and text come from templates/email/<kind>.txt, the HTML from <kind>.html,
    rendered in `locale` (the site's language when None). `reservation_id`
    files the message under the reservation it is about. Replies go to `reply_to`,
    else to the address the settings give, else to the sender.
    """
    settings = site_settings()
    name = f"email/{kind}"
    with force_locale(locale or settings.default_locale):
        subject = render_block(f"{name}.txt", "subject", **context).strip()
        text_body = render_template(f"{name}.txt", **context).strip() + "\n"
        html_body = render_template(f"{name}.html", **context)
    message = OutboxMessage(
        kind=kind,
        recipients=list(recipients),
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        attachments=list(attachments),
        message_id=make_msgid("innkeeper", domain=site_domain()),
        reservation_id=reservation_id,
        sender=sender(),
        reply_to=reply_to or settings.reply_to,
    )
    db.session.add(message)
    return message


def withdraw(reservation_id: int, kinds) -> None:
    """Take back the messages of these kinds about a reservation that are not sent yet
    (the server was down, or the worker has not come round), in the current transaction."""
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.reservation_id == reservation_id,
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.status == OutboxMessage.QUEUED,
        )
    )


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    server_unavailable: bool = False


def send_due() -> SendReport:
    """Send every message that is due; a server that is down leaves them queued, untouched."""
    report = SendReport()
    _requeue_stale_claims()
    while True:
        claimed_at = utcnow()
        batch = _claim_batch(claimed_at)
        if not batch:
            return report
        try:
            _deliver(batch, claimed_at, report)
        except MailServerUnavailable as error:
            log.warning("Mail server unavailable: %s", error)
            report.server_unavailable = True
            _release(batch, claimed_at, str(error))
            return report


def _claim_batch(claimed_at: datetime) -> list[OutboxMessage]:
    """Mark a batch of due messages as being sent, so no other worker takes them."""
    with write_transaction() as session:
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxMessage.QUEUED,
                OutboxMessage.next_attempt_at <= claimed_at,
            )
            .order_by(OutboxMessage.id)
            .limit(BATCH_SIZE)
            .with_for_update(skip_locked=True)
        )
        batch = list(session.scalars(query))
        for message in batch:
            message.status = OutboxMessage.SENDING
            message.claimed_at = claimed_at
    return batch


def _held(message: OutboxMessage, claimed_at: datetime):
    """The message is still being sent under the claim this worker took at claimed_at."""
    return (
        OutboxMessage.id == message.id,
        OutboxMessage.status == OutboxMessage.SENDING,
        OutboxMessage.claimed_at == claimed_at,
    )


def _renew_claim(message: OutboxMessage, claimed_at: datetime) -> datetime | None:
    """Renew the claim just before sending; None if another worker took the message over."""
    now = utcnow()
    with write_transaction() as session:
        renewed = session.execute(
            update(OutboxMessage).where(*_held(message, claimed_at)).values(claimed_at=now)
        ).rowcount
    return now if renewed else None


def _requeue_stale_claims() -> None:
    with write_transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxMessage.SENDING,
                OutboxMessage.claimed_at < utcnow() - STALE_CLAIM,
            )
            .values(status=OutboxMessage.QUEUED)
        )


def _release(batch: list[OutboxMessage], claimed_at: datetime, error: str) -> None:
    """Requeue, with no attempt counted, the messages of the batch not yet tried."""
    with write_transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([m.id for m in batch]),
                OutboxMessage.status == OutboxMessage.SENDING,
                # A message tried has had its claim renewed; one taken over is another's.
                OutboxMessage.claimed_at == claimed_at,
            )
            .values(status=OutboxMessage.QUEUED, last_error=error[:1000])
        )


def _deliver(batch: list[OutboxMessage], claimed_at: datetime, report: SendReport) -> None:
    if not current_app.config["MAIL_SERVER"]:
        for message in batch:
            _attempt(message, claimed_at, _capture, report)
        return
    with _smtp_connection() as connection:
        for message in batch:
            _attempt(message, claimed_at, lambda m: _send(connection, m), report)
            if _hung_up(connection):
                # The message it hung up on has an attempt counted, so a message the
                # server cannot take is not first in line on every run.
                raise MailServerUnavailable(f"the server hung up on message {message.id}")


def _attempt(message: OutboxMessage, claimed_at: datetime, send, report: SendReport) -> None:
    claim = _renew_claim(message, claimed_at)
    if claim is None:
        log.info("Mail %s was taken over by another worker", message.id)
        return
    try:
        send(message)
    except Exception as error:
        # Whatever is wrong with this message must not hold back the others.
        _mark_failed_attempt(message, claim, error, report)
    else:
        _mark_sent(message, claim, report)


class _Connection(Connection):
    """Flask-Mail's connection with a timeout on every socket operation.

    Flask-Mail sets none: a server that accepts and never answers would hang the worker.
    """

    def configure_host(self) -> smtplib.SMTP:
        # Flask-Mail's own, but for the timeout.
        timeout = current_app.config["MAIL_TIMEOUT_SECONDS"]
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def _hung_up(connection: Connection) -> bool:
    # smtplib drops its socket when the server disconnects or answers 421.
    return connection.host is not None and connection.host.sock is None


@contextmanager
def _smtp_connection():
    connection = _Connection(current_app.extensions["mail"])
    try:
        connection.__enter__()
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerUnavailable(str(error) or type(error).__name__) from error
    try:
        yield connection
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.__exit__(None, None, None)


def _is_temporary(error: Exception) -> bool:
    """A 4xx reply or a network error may pass; a 5xx or a malformed message will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError)


def to_mail_message(message: OutboxMessage) -> EmailMessage:
    """The message as it goes out: the same bytes whether sent, sent again or captured.

    Text and HTML are quoted-printable and attachments base64, so that no line goes
    beyond SMTP's 998 octets whatever the guest wrote. The Date is when it was queued.
    """
    mail_message = EmailMessage(policy=SMTP)
    mail_message["Subject"] = message.subject
    sender_name, sender_address = parseaddr(
        message.sender or current_app.config["MAIL_DEFAULT_SENDER"]
    )
    mail_message["From"] = Address(sender_name, addr_spec=ascii_address(sender_address))
    mail_message["To"] = ", ".join(ascii_address(r) for r in message.recipients)
    if message.reply_to:
        mail_message["Reply-To"] = ascii_address(message.reply_to)
    mail_message["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC))
    mail_message["Message-ID"] = message.message_id
    mail_message.set_content(message.text_body, cte="quoted-printable")
    mail_message.add_alternative(message.html_body, subtype="html", cte="quoted-printable")
    for attachment in message.attachments:
        maintype, subtype = attachment["content_type"].split("/")
        # Kept as text, sent as UTF-8: the part's charset says so.
        mail_message.add_attachment(
            attachment["data"].encode(),
            maintype,
            subtype,
            filename=attachment["filename"],
            params=_attachment_params(attachment),
        )
    # Boundaries of our own rather than random ones. "==" never occurs in a line of
    # quoted-printable or base64, so no line of the parts can be taken for one.
    for number, part in enumerate(mail_message.walk()):
        if part.is_multipart():
            part.set_boundary(f"==innkeeper-{message.id}.{number}==")
    return mail_message


def _attachment_params(attachment: dict) -> dict[str, str]:
    """Content-Type parameters: the charset of text, and a calendar's METHOD (RFC 6047)."""
    content_type = attachment["content_type"]
    params = {"charset": "utf-8"} if content_type.startswith("text/") else {}
    # Mail readers act on the part's method: it must be the calendar's own.
    if content_type == "text/calendar" and (
        method := Calendar.from_ical(attachment["data"]).get("method")
    ):
        params["method"] = str(method)
    return params


def _send(connection: Connection, message: OutboxMessage) -> None:
    """Send the message to the addresses of its To, from the address of its From."""
    mail_message = to_mail_message(message)
    connection.host.sendmail(
        mail_message["From"].addresses[0].addr_spec,
        [address.addr_spec for address in mail_message["To"].addresses],
        mail_message.as_bytes(),
    )


def _capture(message: OutboxMessage) -> None:
    """Without MAIL_SERVER, keep each message as an .eml file the host can open."""
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{message.created_at:%Y%m%d-%H%M%S}-{message.id:06d}-{message.kind}.eml"
    (folder / name).write_bytes(to_mail_message(message).as_bytes())


def _mark_sent(message: OutboxMessage, claim: datetime, report: SendReport) -> None:
    with write_transaction() as session:
        marked = session.execute(
            update(OutboxMessage)
            .where(*_held(message, claim))
            .values(status=OutboxMessage.SENT, sent_at=utcnow(), last_error="")
        ).rowcount
    report.sent += 1
    if not marked:
        log.warning("Mail %s was sent after its claim went stale: it may go out twice", message.id)


def _mark_failed_attempt(
    message: OutboxMessage, claim: datetime, error: Exception, report: SendReport
) -> None:
    attempts = message.attempts + 1
    gave_up = not _is_temporary(error) or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    with write_transaction() as session:
        marked = session.execute(
            update(OutboxMessage)
            .where(*_held(message, claim))
            .values(
                status=OutboxMessage.FAILED if gave_up else OutboxMessage.QUEUED,
                attempts=attempts,
                next_attempt_at=utcnow() + delay,
                last_error=f"{type(error).__name__}: {error}"[:1000],
            )
        ).rowcount
    log.warning(
        "Mail %s to %s failed (attempt %s): %s", message.id, message.recipients, attempts, error
    )
    if not marked:
        return  # its claim went stale: the attempt is another worker's to count
    if gave_up:
        report.failed += 1
    else:
        report.retrying += 1


def resend(message: OutboxMessage) -> bool:
    """Queue a failed message again, from its first attempt; False if it had not failed."""
    with write_transaction() as session:
        retried = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxMessage.FAILED)
            .values(status=OutboxMessage.QUEUED, attempts=0, next_attempt_at=utcnow())
        ).rowcount
        if retried:
            record("mail.resent", message.subject, reservation_id=message.reservation_id)
    return bool(retried)
