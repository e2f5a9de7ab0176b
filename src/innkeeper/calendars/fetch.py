"""Fetching another site's feed without letting a feed URL reach internal services."""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .errors import FeedError

# Airbnb answers 403 to a request without a User-Agent.
USER_AGENT = "Mozilla/5.0 (compatible; Innkeeper calendar sync)"
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved and judged; requests go to these addresses only."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def is_public(address: str) -> bool:
    """False for loopback, private, link-local, reserved, multicast and unspecified addresses."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str, allow_private: bool) -> Target:
    """Check the URL and resolve its host; FeedError says what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FeedError(
            f"{url!r} is not an http:// or https:// address"
            " (for a webcal:// link, write https:// instead)."
        )
    if not parts.hostname:
        raise FeedError(f"{url!r} has no host name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FeedError(f"{url!r} has an invalid port.") from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FeedError(f"The host {parts.hostname} does not resolve ({error}).") from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in found))
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                where = address if address == parts.hostname else f"{parts.hostname} ({address})"
                raise FeedError(
                    f"{where} is a loopback, private or otherwise non-public address. Feeds"
                    " are only fetched from public addresses; set FEED_ALLOW_PRIVATE=1 to"
                    " allow calendars on your own network."
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses)


def _connect(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as failure:
            error = failure
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the addresses that were judged, not to what a second DNS lookup says.

    The Host header, TLS server name and certificate check still use the host name.
    """

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.addresses = target.addresses

    def connect(self):
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def fetch(url: str, *, allow_private: bool, timeout: float, max_bytes: int) -> bytes:
    """GET a feed, following a few redirects, each checked like the first address.

    The whole download must fit in `timeout` seconds and `max_bytes` bytes.
    """
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        target = resolve(url, allow_private)
        connection_class = (
            _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(target, timeout)
        try:
            connection.request(
                "GET",
                target.path,
                headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.1"},
            )
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FeedError(f"The server answered {response.status} {response.reason}.")
            return _read(response, max_bytes, deadline, timeout)
        except (OSError, http.client.HTTPException) as error:
            raise FeedError(f"Could not fetch the feed: {error}") from None
        finally:
            connection.close()
    raise FeedError(f"The feed redirected more than {MAX_REDIRECTS} times.")


def _read(
    response: http.client.HTTPResponse, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FeedError(f"The feed is larger than {max_bytes:,} bytes.")
        if time.monotonic() > deadline:
            raise FeedError(f"The feed took longer than {timeout:g} seconds to download.")
        chunks.append(chunk)
    return b"".join(chunks)
