"""Background work, run by `flask jobs run`. Each step claims what it works on, so two
workers may run at once; one step failing does not stop the others."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from .calendars.services import SyncReport, sync_feeds
from .extensions import db
from .host.services import purge_expired_sessions
from .mail.outbox import SendReport, send_due
from .payments.services import queue_due_balance_reminders
from .ratelimit import purge_expired
from .reservations.services import (
    expire_overdue_requests,
    queue_due_pre_arrival_mail,
    queue_due_reminders,
    queue_due_thank_you_mail,
)

log = logging.getLogger(__name__)


@dataclass
class JobsReport:
    requests_expired: int = 0
    reminders_queued: int = 0
    balance_reminders_queued: int = 0
    pre_arrival_queued: int = 0
    thank_you_queued: int = 0
    mail: SendReport = field(default_factory=SendReport)
    calendars: SyncReport = field(default_factory=SyncReport)
    failed_steps: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"requests expired: {self.requests_expired}; "
            f"reminders queued: {self.reminders_queued}, "
            f"balance reminders: {self.balance_reminders_queued}, "
            f"arrival instructions: {self.pre_arrival_queued}, "
            f"thank-yous: {self.thank_you_queued}; mail sent: {self.mail.sent}, "
            f"retrying: {self.mail.retrying}, failed: {self.mail.failed}"
        )
        if self.mail.server_unavailable:
            text += "; mail server unavailable, mail kept for the next run"
        text += f"; {self.calendars.summary()}"
        if self.failed_steps:
            text += f"; FAILED: {', '.join(self.failed_steps)} (see the log)"
        return text


def run_due_jobs(all_feeds: bool = False) -> JobsReport:
    """Due work; other sites' calendars are synced every interval, or all now with all_feeds."""
    report = JobsReport()

    def step(name: str, work: Callable):
        try:
            return work()
        except Exception:
            log.exception("Background job %r failed", name)
            db.session.rollback()
            report.failed_steps.append(name)
            return None

    # First, so that this round's mail carries the news of the requests it expires.
    report.requests_expired = step("requests", expire_overdue_requests) or 0
    report.reminders_queued = step("reminders", queue_due_reminders) or 0
    report.balance_reminders_queued = step("balance reminders", queue_due_balance_reminders) or 0
    report.pre_arrival_queued = step("arrival mail", queue_due_pre_arrival_mail) or 0
    report.thank_you_queued = step("thank-you mail", queue_due_thank_you_mail) or 0
    report.mail = step("mail", send_due) or report.mail
    step("rate limits", purge_expired)
    step("host sessions", purge_expired_sessions)
    report.calendars = step("calendars", lambda: sync_feeds(due_only=not all_feeds)) or (
        report.calendars
    )
    return report
