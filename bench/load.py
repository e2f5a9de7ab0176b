"""Load generators: wrk when installed, otherwise a few Python processes."""

import http.client
import multiprocessing
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # answers other than 2xx/3xx, and socket errors


def pick(choice: str = "auto") -> str:
    """wrk when asked for or, by default, when installed; otherwise the Python processes."""
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return choice


def measure(
    tool: str, url: str, headers: dict[str, str], seconds: float, connections: int, threads: int
) -> Result:
    if tool == "wrk":
        return _wrk(url, headers, seconds, connections, threads)
    return _python(url, headers, seconds, connections)


# --- wrk --------------------------------------------------------------------------


def _wrk(url: str, headers: dict[str, str], seconds: float, connections: int, threads: int):
    command = [
        "wrk",
        "--latency",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=5s",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    return Result(
        requests_per_second=float(_search(r"Requests/sec:\s+([\d.]+)", output)),
        p50_ms=_duration_ms(_search(r"^\s+50%\s+(\S+)", output)),
        p99_ms=_duration_ms(_search(r"^\s+99%\s+(\S+)", output)),
        requests=int(_search(r"(\d+) requests in", output)),
        bad=_wrk_errors(output),
    )


def _search(pattern: str, output: str) -> str:
    match = re.search(pattern, output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    return match[1]


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise RuntimeError(f"unexpected wrk duration {text!r}")
    return float(match[1]) * UNIT_MS[match[2]]


def _wrk_errors(output: str) -> int:
    bad = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        bad += int(match[1])
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        bad += sum(int(count) for count in match.groups())
    return bad


# --- Python fallback ----------------------------------------------------------------


def _python(url: str, headers: dict[str, str], seconds: float, connections: int) -> Result:
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        parts = pool.starmap(_client, [(url, headers, seconds)] * connections)
    latencies = sorted(latency for part, _ in parts for latency in part)
    bad = sum(errors for _, errors in parts)
    if not latencies:
        raise RuntimeError(f"no answer from {url}")
    return Result(
        requests_per_second=len(latencies) / seconds,
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        requests=len(latencies),
        bad=bad,
    )


def _client(url: str, headers: dict[str, str], seconds: float) -> tuple[list[float], int]:
    """One connection's worth of load: request after request until the time is up (ms)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while (started := time.perf_counter()) < deadline:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
            else:
                latencies.append((time.perf_counter() - started) * 1000)
        except OSError:
            errors += 1
        finally:
            connection.close()
    return latencies, errors
