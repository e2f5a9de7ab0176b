"""gunicorn on loopback, the same settings for Innkeeper and for the bare route."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from innkeeper.config import PROJECT_ROOT

WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict, ready_path: str = "/", port: int | None = None):
    """Serve `target` (module:app) with WORKERS sync workers; yields the base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url + ready_path, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer {url}") from None
            time.sleep(0.1)
