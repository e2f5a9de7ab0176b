"""Without MAIL_SERVER, mail is kept as .eml files in the instance folder and counts as sent."""

import email
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.helpers import outbox, parts


@pytest.fixture
def app_overrides() -> dict:
    """No MAIL_SERVER: the tests' default, and a fresh install's."""
    return {}


def test_without_a_mail_server_each_message_is_written_as_an_eml_file(
    app, future, make_reservation, cancel, run_jobs
):
    assert app.config["MAIL_SERVER"] is None
    stay = make_reservation()
    cancel(stay)

    run_jobs()
    run_jobs()

    rows = outbox()
    assert [row.status for row in rows] == ["sent", "sent"]
    files = sorted((Path(app.instance_path) / "mail").glob("*.eml"))
    assert len(files) == len(rows)
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["Message-ID"] for m in messages) == sorted(row.message_id for row in rows)
    for message in messages:
        assert message["To"] == "ada@example.com"
        assert stay.code in message["Subject"]
        [attachment] = parts(message)["text/calendar"]
        [event] = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
        assert event.decoded("dtstart") == future(10)
