"""Fixtures for calendar sync: a real HTTP server that serves other sites' feeds."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from innkeeper.calendars.services import add_feed


@pytest.fixture
def app_overrides() -> dict:
    # The test server listens on 127.0.0.1, which is refused unless this is on.
    return {"FEED_ALLOW_PRIVATE": True}


# A trickling server sends a byte this often: never silent long enough for a read timeout.
TRICKLE_INTERVAL = 0.3


class FeedServer:
    """Serves what a test puts at each path, and keeps the headers of every request.

    A route may answer after a `delay`, or `trickle` its answer a byte at a time from the
    "headers" or from the "body" on. A route with an `etag` sends it, and answers 304 to a
    request that names it in If-None-Match.
    """

    def __init__(self):
        self.routes: dict[str, dict] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path, {"status": 404, "body": b"not found"})
                if "trickle" in route:
                    self.trickle(route)
                    return
                time.sleep(route.get("delay", 0))
                if "etag" in route and self.headers.get("If-None-Match") == route["etag"]:
                    self.send_response(304)
                    self.send_header("ETag", route["etag"])
                    self.end_headers()
                    return
                self.send_response(route["status"])
                if "etag" in route:
                    self.send_header("ETag", route["etag"])
                for name, value in route.get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route["body"])))
                self.end_headers()
                # The client may have given up: too slow or too large for it.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route["body"])

            def trickle(self, route):
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(route['body'])}\r\n\r\n".encode()
                at_once = head if route["trickle"] == "body" else b""
                rest = (head + route["body"])[len(at_once) :]
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(at_once)
                    for byte in rest:
                        time.sleep(TRICKLE_INTERVAL)
                        self.wfile.write(bytes([byte]))

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, body: bytes, status: int = 200, **options) -> str:
        headers = {"Content-Type": "text/calendar; charset=utf-8"} if status == 200 else {}
        self.routes[path] = {"status": status, "body": body, "headers": headers, **options}
        return self.url(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def subscribe(feed_server):
    """Serve `body` as the property's feed on the test server and subscribe the property."""

    def add(prop, body: bytes, path: str | None = None):
        url = feed_server.serve(path or f"/{prop.slug}.ics", body)
        return add_feed(prop.slug, url)

    return add
