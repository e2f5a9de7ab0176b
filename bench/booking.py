"""Booking under contention: many guests posting overlapping stays of one property at once."""

import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class BookingResult:
    attempts_per_second: float
    p50_ms: float
    p99_ms: float
    statuses: Counter


class _KeepRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, request: Request) -> tuple[int, str]:
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        with error:
            return error.code, error.read().decode()


def contend(url: str, slug: str, first_night: date, span: int, guests: int, seconds: float):
    """`guests` browsers book random stays of 1 to 3 nights among `span` nights, all at once."""
    barrier = threading.Barrier(guests)
    results: list[list[tuple[int, float]]] = [[] for _ in range(guests)]

    def guest(number: int) -> None:
        rng = random.Random(number)
        opener = build_opener(HTTPCookieProcessor(CookieJar()), _KeepRedirects)
        status, page = _open(opener, Request(f"{url}/properties/{slug}"))
        match = CSRF_PATTERN.search(page)
        if status != 200 or not match:
            barrier.abort()
            raise RuntimeError(f"the property page answered {status}")
        barrier.wait(timeout=30)
        deadline = time.perf_counter() + seconds
        while (started := time.perf_counter()) < deadline:
            check_in = first_night + timedelta(days=rng.randrange(span))
            form = {
                "csrf_token": match[1],
                "check_in": check_in.isoformat(),
                "check_out": (check_in + timedelta(days=rng.randint(1, 3))).isoformat(),
                "guests": "1",
                "name": f"Guest {number}",
                "email": f"guest{number}@example.com",
            }
            request = Request(f"{url}/properties/{slug}/reservations", urlencode(form).encode())
            status, _ = _open(opener, request)
            results[number].append((status, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=guest, args=(n,)) for n in range(guests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = [answer for part in results for answer in part]
    if not answers:
        raise RuntimeError("no booking was answered")
    latencies = sorted(latency for _, latency in answers)
    return BookingResult(
        attempts_per_second=len(answers) / seconds,
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        statuses=Counter(status for status, _ in answers),
    )
