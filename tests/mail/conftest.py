"""Mail fixtures: a real SMTP server on a port of its own, and the steps a guest takes."""

import email
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.mail.models import OutboxMessage
from tests.conftest import count_rows, csrf_token_from

ACCEPTED = "250 Message accepted for delivery"


@dataclass
class Delivery:
    """One DATA command as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class SMTPServer:
    """An aiosmtpd server that keeps what it receives, and can be told to refuse mail or hang up."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[Delivery] = []
        self.refused: list[Delivery] = []
        # A reply such as "451 ..." answers DATA instead of accepting the message.
        self.reply_to_data: str | None = None
        # Mail to this address makes the server hang up instead of answering DATA, first
        # sending hang_up_reply if set ("421 ...", as a server that is shutting down does).
        self.hang_up_on: str | None = None
        self.hang_up_reply: str | None = None
        self.hung_up: list[Delivery] = []
        # Awaited with each message before it is answered, while the client waits.
        self.while_receiving: Callable[[Delivery], Awaitable[None]] | None = None
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        delivery = Delivery(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(envelope.content, policy=policy.default),
        )
        if self.while_receiving:
            await self.while_receiving(delivery)
        if self.hang_up_on and self.hang_up_on in delivery.rcpt_tos:
            self.hung_up.append(delivery)
            if self.hang_up_reply:
                await server.push(self.hang_up_reply)
            server.transport.close()
            return "421 4.3.0 Closing"  # never arrives: the connection is closed
        if self.reply_to_data:
            self.refused.append(delivery)
            return self.reply_to_data
        self.received.append(delivery)
        return ACCEPTED

    def start(self) -> "SMTPServer":
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, server_hostname="smtp.test"
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [d.message for d in self.received if address in d.rcpt_tos]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_overrides(smtp_port) -> dict:
    """The app sends to 127.0.0.1:smtp_port; the server there is up only when a test starts it."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        # Flask-Mail otherwise sends nothing when TESTING is set.
        "MAIL_SUPPRESS_SEND": False,
    }


@pytest.fixture
def smtp_server(smtp_port):
    """The SMTP server on the app's port, not yet started."""
    server = SMTPServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server) -> SMTPServer:
    """The SMTP server on the app's port, up."""
    return smtp_server.start()


@pytest.fixture
def run_jobs(app, runner):
    """`flask jobs run --once`, which must exit 0 whatever the mail server does.

    It gets an app context and a database session of its own, as the worker process
    has: nothing the test has read is left open for it.
    """

    def run() -> str:
        with app.app_context():
            result = runner.invoke(args=["jobs", "run", "--once"])
        assert result.exit_code == 0, result.output or repr(result.exception)
        return result.output

    return run


def outbox(**filters) -> list[OutboxMessage]:
    """The outbox rows as they are now, oldest first."""
    # End the test's read transaction: the worker wrote in a session of its own.
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).filter_by(**filters).order_by("id")))


def rows_in(table: str) -> int:
    db.session.rollback()
    return count_rows(table)


@dataclass
class Booked:
    code: str
    token: str

    @property
    def page(self) -> str:
        return f"/reservations/{self.code}?token={self.token}"


def booked(response) -> Booked:
    """The reservation a successful booking form redirected to."""
    assert response.status_code == 303, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    return Booked(code=location.path.rsplit("/", 1)[-1], token=parse_qs(location.query)["token"][0])


@pytest.fixture
def reserve(book):
    """Book through the form; returns the code and token of the new reservation."""

    def post(prop, check_in, check_out, **fields) -> Booked:
        return booked(book(prop, check_in, check_out, **fields))

    return post


@pytest.fixture
def cancel(client):
    """Press the cancel button on the guest's reservation page, as a browser would.

    With times=2 the same form is sent again, as a double click or a resubmission does.
    """

    def post(reservation: Booked, times: int = 1):
        page = client.get(reservation.page)
        assert page.status_code == 200
        form = {
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "token": reservation.token,
        }
        for _ in range(times):
            response = client.post(f"/reservations/{reservation.code}/cancel", data=form)
            assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return post


def parts(message: EmailMessage) -> dict[str, list[EmailMessage]]:
    """The message's leaf parts by content type."""
    found: dict[str, list[EmailMessage]] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found
