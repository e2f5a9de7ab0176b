"""Background work, run by `flask jobs run`: each step is safe to run twice at once."""

from dataclasses import dataclass, field

from .calendars.services import SyncReport, sync_feeds
from .mail.outbox import SendReport, send_due
from .reservations.services import queue_due_reminders


@dataclass
class JobsReport:
    reminders_queued: int
    mail: SendReport
    calendars: SyncReport = field(default_factory=SyncReport)

    def summary(self) -> str:
        text = (
            f"reminders queued: {self.reminders_queued}; mail sent: {self.mail.sent}, "
            f"retrying: {self.mail.retrying}, failed: {self.mail.failed}"
        )
        if self.mail.server_unavailable:
            text += "; mail server unavailable, mail kept for the next run"
        text += f"; {self.calendars.summary()}"
        return text


def run_due_jobs(all_feeds: bool = False) -> JobsReport:
    """Due work; other sites' calendars are synced every interval, or all now with all_feeds."""
    reminders = queue_due_reminders()
    return JobsReport(
        reminders_queued=reminders,
        mail=send_due(),
        calendars=sync_feeds(due_only=not all_feeds),
    )
