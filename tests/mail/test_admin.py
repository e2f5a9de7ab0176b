"""The host's outbox: every message with its state, readable problems, sending again."""

import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select, update

from innkeeper.activity.models import Activity
from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.mail.models import OutboxMessage
from tests.helpers import count_rows, login, outbox

CO_HOST = "partner@example.org"


@pytest.fixture
def host(auth):
    auth.login()
    return auth


def fail(message_id: int, error: str) -> None:
    with write_transaction() as session:
        session.execute(
            update(OutboxMessage)
            .filter_by(id=message_id)
            .values(status=OutboxMessage.FAILED, attempts=8, last_error=error)
        )


def test_the_outbox_lists_messages_newest_first_and_filters_by_status(
    client, host, make_property, make_reservation
):
    make_reservation(make_property())
    make_reservation(make_property())
    html = client.get("/host/mail").get_data(as_text=True)
    listed = [int(i) for i in re.findall(r'href="/host/mail/(\d+)"', html)]
    assert listed == sorted((m.id for m in outbox()), reverse=True)
    [confirmation, *_] = outbox(kind="confirmation")
    fail(confirmation.id, "SMTPDataError: (554, b'Message rejected')")
    failed = client.get("/host/mail?status=failed").get_data(as_text=True)
    assert f'href="/host/mail/{confirmation.id}"' in failed
    assert failed.count('href="/host/mail/') == 1


def test_a_problem_reads_as_a_sentence_with_the_server_s_words(
    client, host, make_property, make_reservation
):
    make_reservation(make_property())
    [message] = outbox(kind="confirmation")
    fail(message.id, "SMTPRecipientsRefused: {'ada@example.com': (550, b'No such user')}")
    html = client.get(f"/host/mail/{message.id}").get_data(as_text=True)
    assert "The mail server refused the recipient&#39;s address." in html
    assert "No such user" in html


def test_sending_again_queues_a_failed_message_once(client, host, make_property, make_reservation):
    make_reservation(make_property())
    [message] = outbox(kind="confirmation")
    fail(message.id, "SMTPServerDisconnected: Connection unexpectedly closed")
    first = host.post(f"/host/mail/{message.id}/resend")
    second = host.post(f"/host/mail/{message.id}/resend")
    assert first.status_code == second.status_code == 303
    db.session.rollback()
    again = db.session.get(OutboxMessage, message.id)
    assert (again.status, again.attempts) == (OutboxMessage.QUEUED, 0)
    assert db.session.scalars(select(Activity.action)).all() == ["mail.resent"]


def test_a_message_that_did_not_fail_is_not_sent_again(
    client, host, make_property, make_reservation
):
    make_reservation(make_property())
    [message] = outbox(kind="confirmation")
    host.post(f"/host/mail/{message.id}/resend")
    assert count_rows("activity") == 0


def test_the_message_downloads_as_an_eml_file(client, host, make_property, make_reservation):
    reservation = make_reservation(make_property())
    [message] = outbox(kind="confirmation")
    response = client.get(f"/host/mail/{message.id}.eml")
    assert response.mimetype == "message/rfc822"
    parsed = message_from_bytes(response.data, policy=policy.default)
    assert reservation.code in parsed["Subject"]
    assert parsed["Message-ID"] == message.message_id


def test_co_hosts_do_not_see_each_other_s_notices(
    client, app, host, make_property, make_reservation
):
    create_host(CO_HOST, "another long password")
    make_reservation(make_property())
    theirs = next(m for m in outbox(kind="host_new_reservation") if CO_HOST in m.recipients)
    mine = next(m for m in outbox(kind="host_new_reservation") if host.email in m.recipients)
    listed = client.get("/host/mail").get_data(as_text=True)
    assert CO_HOST not in listed
    assert f'href="/host/mail/{mine.id}"' in listed
    assert client.get(f"/host/mail/{theirs.id}").status_code == 404
    assert client.get(f"/host/mail/{theirs.id}.eml").status_code == 404
    assert CO_HOST not in client.get("/host/").get_data(as_text=True)
    other = app.test_client()
    login(other, CO_HOST, "another long password")
    assert host.email not in other.get("/host/mail").get_data(as_text=True)
