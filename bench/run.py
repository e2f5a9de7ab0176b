"""Measure the calendar fragment against a bare Flask route, the other guest endpoints, and
the reading of a large calendar feed.

Everything runs on loopback against gunicorn with two sync workers and a throwaway SQLite
database holding the demo properties and years of bookings. The calendar and the bare
route are measured in alternating rounds, so that a load spike elsewhere on the machine
does not fall on one of them only; the ratio is the median of the rounds' ratios.
"""

import argparse
import sqlite3
import statistics
import tempfile
import time
import urllib.request
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from innkeeper.clock import today_in

from . import booking, data, feed, load
from .server import WORKERS, gunicorn

SLUG = "seashell-house"
CONTENDED = {
    "slug": "contended-cabin",
    "name": "Contended Cabin",
    "currency": "USD",
    "timezone": "UTC",
    "nightly_rate_minor": 10000,
    "weekend_rate_minor": 12000,
    "max_guests": 2,
}
REQUIRED_RATIO = 0.25
HTMX = {"HX-Request": "true"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=3, help="length of one measurement (3)")
    parser.add_argument("--rounds", type=int, default=3, help="calendar/bare rounds (3)")
    parser.add_argument("--connections", type=int, default=4, help="open connections (4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--guests", type=int, default=8, help="guests booking at once (8)")
    parser.add_argument(
        "--load",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (auto), or Python processes",
    )
    args = parser.parse_args(argv)
    args.load = load.pick(args.load)

    with tempfile.TemporaryDirectory(prefix="innkeeper-bench-") as folder:
        return _run(Path(folder), args)


def _run(folder: Path, args) -> int:
    started = time.monotonic()
    database_url = f"sqlite:///{folder / 'bench.db'}"
    dataset = data.build(folder, database_url)
    data.add_property(folder, database_url, **CONTENDED)
    check_in, check_out = data.free_stay(folder, database_url, SLUG, nights=3)
    month = (today_in("America/Cancun").replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    print(
        f"SQLite with {dataset.reservations} reservations ({dataset.nights} nights); "
        f"gunicorn, {WORKERS} sync workers; load from {args.load}"
        f"{'' if args.load == 'wrk' else ' (install wrk for steadier figures)'}, "
        f"{args.connections} connections, {args.seconds:g} s a measurement"
    )

    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key",
        "INNKEEPER_INSTANCE": str(folder / "instance"),
        "MAIL_SERVER": "",
    }
    with gunicorn("wsgi:app", env, ready_path="/healthz") as url:
        calendar_url = f"{url}/properties/{SLUG}/calendar?month={month}"
        body_file = folder / "calendar.html"
        body_file.write_bytes(_get(calendar_url, HTMX))
        if b"<html" in body_file.read_bytes():
            raise RuntimeError("the calendar answered a whole page to htmx, not a fragment")
        with gunicorn("bench.bare:app", {"BENCH_BODY_FILE": str(body_file)}) as bare_url:
            calendar, bare, ratios = _compare(calendar_url, bare_url + "/", args)
            sizes = [len(_get(calendar_url, HTMX)), len(_get(bare_url + "/", {}))]
        table = [("calendar fragment", sizes[0], calendar), ("bare Flask route", sizes[1], bare)]
        quote = f"check_in={check_in}&check_out={check_out}&guests=2"
        if b"data-total=" not in _get(f"{url}/properties/{SLUG}/quote?{quote}", HTMX):
            raise RuntimeError("the quote fragment shows no price")
        for name, endpoint, headers in [
            ("property page", f"{url}/properties/{SLUG}", {}),
            ("quote fragment", f"{url}/properties/{SLUG}/quote?{quote}", HTMX),
        ]:
            table.append((name, len(_get(endpoint, headers)), _measure(endpoint, headers, args)))
        first_night = today_in("UTC") + timedelta(days=30)
        contention = booking.contend(
            url, CONTENDED["slug"], first_night, 90, args.guests, args.seconds
        )

    print()
    print(f"{'endpoint':<20} {'bytes':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, size, result in table:
        print(
            f"{name:<20} {size:>7} {result.requests_per_second:>9.0f} "
            f"{result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {result.bad:>7}"
        )
    ratio = statistics.median(ratios)
    print()
    print(
        f"calendar / bare = {ratio:.2f}, median of {', '.join(f'{r:.2f}' for r in ratios)} "
        f"(required: at least {REQUIRED_RATIO})"
    )
    print(
        f"booking, {args.guests} guests on one property: "
        f"{contention.attempts_per_second:.0f} attempts/s, p50 {contention.p50_ms:.1f} ms, "
        f"p99 {contention.p99_ms:.1f} ms; answers {dict(sorted(contention.statuses.items()))}"
    )
    overlaps = _overlapping_stays(folder / "bench.db")
    print(f"overlapping live stays after the run: {overlaps}")
    print(feed.measure())
    print(f"({time.monotonic() - started:.0f} s in all)")

    failed = ratio < REQUIRED_RATIO or overlaps or any(result.bad for _, _, result in table)
    failed = failed or set(contention.statuses) - {303, 409}
    return 1 if failed else 0


def _compare(calendar_url: str, bare_url: str, args):
    """Alternate calendar and bare rounds; the median round of each, and every round's ratio."""
    shape = (args.connections, args.threads)
    load.measure(args.load, calendar_url, HTMX, 1, *shape)  # warm the workers
    load.measure(args.load, bare_url, {}, 1, *shape)
    calendars, bares = [], []
    for _ in range(args.rounds):
        calendars.append(load.measure(args.load, calendar_url, HTMX, args.seconds, *shape))
        bares.append(load.measure(args.load, bare_url, {}, args.seconds, *shape))
    ratios = [
        c.requests_per_second / b.requests_per_second for c, b in zip(calendars, bares, strict=True)
    ]
    return _median_round(calendars), _median_round(bares), ratios


def _median_round(results: list[load.Result]) -> load.Result:
    ordered = sorted(results, key=lambda result: result.requests_per_second)
    return ordered[len(ordered) // 2]


def _measure(url: str, headers: dict[str, str], args) -> load.Result:
    shape = (args.connections, args.threads)
    load.measure(args.load, url, headers, 1, *shape)  # warm the workers
    return load.measure(args.load, url, headers, args.seconds, *shape)


def _get(url: str, headers: dict[str, str]) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
        return r.read()


def _overlapping_stays(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT count(*) FROM reservation a JOIN reservation b"
            " ON a.property_id = b.property_id AND a.id < b.id"
            " AND a.check_in < b.check_out AND b.check_in < a.check_out"
            " WHERE a.status = 'confirmed' AND b.status = 'confirmed'"
        ).fetchone()[0]
