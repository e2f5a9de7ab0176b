"""What goes over the wire: no line beyond SMTP's limit, whatever the guest writes."""

from pathlib import Path

from sqlalchemy import update

from innkeeper.database import write_transaction
from innkeeper.mail.models import OutboxMessage
from tests.helpers import outbox, parts

# RFC 5321: a line of a message is at most 998 octets, and its CRLF.
MAX_LINE_OCTETS = 998
# One line as long as the booking form allows, beyond ASCII: accents, a symbol, an emoji.
SENTENCE = "Zoë arrives by the night ferry ☀️ with two bikes 🚲, is there room? "
LONG_MESSAGE = (SENTENCE * 40)[:1999] + "!"


def lines_of(content: bytes) -> list[bytes]:
    return content.split(b"\r\n")


def test_a_long_one_line_guest_message_reaches_every_host_intact(
    hosts, make_property, future, book, run_jobs, smtp
):
    assert len(LONG_MESSAGE) == 2000
    response = book(make_property(), future(10), future(12), message=LONG_MESSAGE)
    assert response.status_code == 303

    run_jobs()

    assert [row.status for row in outbox()] == [OutboxMessage.SENT] * 3
    for delivery in smtp.received:
        longest = max(len(line) for line in lines_of(delivery.content))
        assert longest <= MAX_LINE_OCTETS
    told = [d.message for d in smtp.received if d.rcpt_tos[0] in hosts]
    assert len(told) == len(hosts)
    for message in told:
        by_type = parts(message)
        assert LONG_MESSAGE in by_type["text/plain"][0].get_content()
        assert LONG_MESSAGE in by_type["text/html"][0].get_content()


def test_a_captured_message_is_the_same_bytes_the_server_receives(
    app, hosts, make_property, future, book, run_jobs, smtp
):
    book(make_property(name="Casa São João"), future(10), future(12), message=LONG_MESSAGE)
    run_jobs()
    sent = {d.message["Message-ID"]: d.content for d in smtp.received}
    assert len(sent) == 3

    # The same messages again, captured as a fresh install without a mail server does.
    app.config["MAIL_SERVER"] = None
    with write_transaction() as session:
        session.execute(update(OutboxMessage).values(status=OutboxMessage.QUEUED))
    run_jobs()

    files = sorted((Path(app.instance_path) / "mail").glob("*.eml"))
    captured = {}
    for file in files:
        content = file.read_bytes()
        [message_id] = [line for line in lines_of(content) if line.startswith(b"Message-ID: ")]
        captured[message_id.removeprefix(b"Message-ID: ").decode()] = content
    assert captured == sent
