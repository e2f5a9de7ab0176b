"""Mail fixtures: a real SMTP server on a port of its own, and the steps a guest takes."""

import email
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from innkeeper.reservations.models import Reservation
from tests.helpers import GuestLink, cancel_form, free_port

ACCEPTED = "250 Message accepted for delivery"
HOSTS = ["owner@example.com", "cohost@example.com"]


@dataclass
class Delivery:
    """One DATA command as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    # The message as it came over the wire.
    content: bytes


class SMTPServer:
    """An aiosmtpd server that keeps what it receives, and can be told to refuse mail or hang up.

    Like real servers it refuses a message with too long a line ("500 Line too long"):
    aiosmtpd's limit is 1001 octets with the CRLF, RFC 5321's is 998 and the CRLF.
    """

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
            content=envelope.content,
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
def hosts(runner) -> list[str]:
    """Two host accounts, created as the host does from the command line."""
    for address in HOSTS:
        result = runner.invoke(
            args=["host", "create", address, "--password-stdin"], input="correct horse battery\n"
        )
        assert result.exit_code == 0, result.output
    return HOSTS


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


@pytest.fixture
def cancel(client):
    """Press the cancel button on the guest's reservation page, as a browser would.

    With times=2 the same form is sent again, as a double click or a resubmission does.
    """

    def post(reservation: Reservation, times: int = 1):
        link = GuestLink.of(reservation)
        form = cancel_form(client, link)
        for _ in range(times):
            response = client.post(link.cancel_url, data=form)
            assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return post
