"""Fetching another site's feed without letting a feed URL reach internal services."""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..exceptions import FeedError

# Airbnb answers 403 to a request without a User-Agent.
USER_AGENT = "Mozilla/5.0 (compatible; Innkeeper calendar sync)"
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
# Other ports reach services that are not web sites (mail, databases, admin consoles).
PORTS = (80, 443)
# IPv6 forms that lead to an IPv4 address, which is the one to judge: IPv4-mapped
# (::ffff:0:0/96), IPv4-compatible (::/96) and NAT64 (64:ff9b::/96) carry it in their last
# 32 bits; 6to4 (2002::/16) carries it in bits 16 to 47.
IPV4_IN_LAST_32_BITS = tuple(
    ipaddress.IPv6Network(network) for network in ("::ffff:0:0/96", "::/96", "64:ff9b::/96")
)
# NAT64 for a network's own use (RFC 8215): its gateway reaches that network's addresses.
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved and judged; requests go to these addresses only."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def is_public(address: str) -> bool:
    """False for loopback, private, link-local, reserved, multicast and unspecified addresses.

    An IPv6 address that leads to an IPv4 address (mapped, NAT64, 6to4) is judged by that one.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in LOCAL_NAT64:
            return False
        if ip.sixtofour:
            ip = ip.sixtofour
        elif any(ip in network for network in IPV4_IN_LAST_32_BITS):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip.is_global and not ip.is_multicast


def resolve(url: str, allow_private: bool) -> Target:
    """Check the URL and resolve its host; FeedError says what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FeedError("feed_scheme", url=url)
    if not parts.hostname:
        raise FeedError("feed_no_host", url=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FeedError("feed_bad_port", url=url) from None
    if not allow_private and port not in PORTS:
        raise FeedError("feed_port", url=url, port=port)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FeedError("feed_unresolved", host=parts.hostname, error=str(error)) from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in found))
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                where = address if address == parts.hostname else f"{parts.hostname} ({address})"
                raise FeedError("feed_private", where=where)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses)


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the deadline passed")
    return left


class _DeadlineMixin:
    """Each send and receive waits only for the time left until the deadline.

    http.client reads the headers a line at a time and the body in pieces, each with a
    fresh socket timeout: a server sending a byte at a time would never run one out.
    """

    deadline: float

    def recv_into(self, *args, **kwargs):
        self.settimeout(_time_left(self.deadline))
        return super().recv_into(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(_time_left(self.deadline))
        return super().sendall(*args, **kwargs)


class _DeadlineSocket(_DeadlineMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    pass


def _connect(addresses: tuple[str, ...], port: int, deadline: float) -> socket.socket:
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        sock = _DeadlineSocket(socket.AF_INET6 if ":" in address else socket.AF_INET)
        sock.deadline = deadline
        try:
            sock.settimeout(_time_left(deadline))
            sock.connect((address, port))
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the addresses that were judged, not to what a second DNS lookup says.

    The Host header, TLS server name and certificate check still use the host name.
    """

    def __init__(self, target: Target, deadline: float):
        super().__init__(target.host, target.port)
        self.addresses = target.addresses
        self.deadline = deadline

    def connect(self):
        self.sock = _connect(self.addresses, self.port, self.deadline)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        context.sslsocket_class = _DeadlineSSLSocket
        # The timeout bounds the whole handshake, not each of its reads.
        self.sock.settimeout(_time_left(self.deadline))
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)
        self.sock.deadline = self.deadline


@dataclass(frozen=True)
class Fetched:
    """A feed's body, or None when the server answered 304 Not Modified; and the ETag and
    Last-Modified it sent, to ask with next time."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None


def fetch(
    url: str,
    *,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    validators: dict | None = None,
) -> Fetched:
    """GET a feed, following a few redirects, each checked like the first address.

    The whole download, redirects included, must fit in `timeout` seconds (name lookups
    are left to the system resolver's own timeout) and in `max_bytes` bytes. With the
    `validators` of the last answer ({"etag", "last_modified"}) the request is conditional.
    """
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.1"}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    for _ in range(MAX_REDIRECTS + 1):
        target = resolve(url, allow_private)
        connection_class = (
            _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(target, deadline)
        try:
            connection.request("GET", target.path, headers=headers)
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                next_url = urljoin(url, location)
                if target.scheme == "https" and urlsplit(next_url).scheme == "http":
                    raise FeedError("feed_https_downgrade")
                url = next_url
                continue
            if response.status == 304 and validators:
                return Fetched(None)
            if response.status != 200:
                raise FeedError("feed_http_status", status=response.status, reason=response.reason)
            return Fetched(
                _read(response, max_bytes),
                response.getheader("ETag"),
                response.getheader("Last-Modified"),
            )
        except TimeoutError:
            raise FeedError("feed_timeout", seconds=f"{timeout:g}") from None
        except (OSError, http.client.HTTPException) as error:
            raise FeedError("feed_unreachable", error=str(error)) from None
        finally:
            connection.close()
    raise FeedError("feed_redirects", count=MAX_REDIRECTS)


def _read(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    chunks, size = [], 0
    # read1 returns what has arrived, so the size is checked as the body comes in.
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FeedError("feed_too_large", bytes=f"{max_bytes:,}")
        chunks.append(chunk)
    return b"".join(chunks)
