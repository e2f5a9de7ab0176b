"""One submit, one change: a form carries a one-time key, and its outcome is kept.

A double-clicked button, a resubmit after Back or a retried request sends the same
key again; the second answers with the first one's result instead of acting twice.
"""

import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from .clock import utcnow
from .extensions import db


class Submission(db.Model):
    __tablename__ = "form_submission"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # What the first submission made, as the view names it (a slug, a code, an id).
    result: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubmissionKeyField(HiddenField):
    """A fresh random key each time the form is shown; the submitted one when posted."""

    def __init__(self, **kwargs):
        super().__init__(default=lambda: secrets.token_urlsafe(24), **kwargs)

    def pre_validate(self, form):
        if self.data and len(self.data) > 64:
            self.data = None


def earlier_result(key: str | None) -> str | None:
    """What an earlier submission with this key made, if there was one."""
    if not key:
        return None
    return db.session.scalar(select(Submission.result).filter_by(key=key))


def claim(key: str | None, result: str) -> None:
    """Tie `result` to the key in the caller's transaction; a second claim fails it.

    The primary key makes the second of two simultaneous submissions fail at
    commit, so only one of them changes anything.
    """
    if key:
        db.session.add(Submission(key=key, result=result))
        db.session.flush()
