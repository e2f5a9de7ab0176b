"""Background work, run by `flask jobs run`: each step is safe to run twice at once."""

from dataclasses import dataclass

from .mail.outbox import SendReport, send_due
from .reservations.services import queue_due_reminders


@dataclass
class JobsReport:
    reminders_queued: int
    mail: SendReport

    def summary(self) -> str:
        text = (
            f"reminders queued: {self.reminders_queued}; mail sent: {self.mail.sent}, "
            f"retrying: {self.mail.retrying}, failed: {self.mail.failed}"
        )
        if self.mail.server_unavailable:
            text += "; mail server unavailable, mail kept for the next run"
        return text


def run_due_jobs() -> JobsReport:
    reminders = queue_due_reminders()
    return JobsReport(reminders_queued=reminders, mail=send_due())
