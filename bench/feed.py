"""How long reading another site's feed of about 2 MB takes (FEED_MAX_BYTES, the largest
a sync downloads), against the deadline of one sync (FEED_TIMEOUT_SECONDS).

The feed is written the way Airbnb writes one, each event with a description, plus a few
recurring events; `python -m bench.feed` runs this part alone.
"""

import statistics
import time
from datetime import date, timedelta

from innkeeper.calendars.ics import Limits, read_events
from innkeeper.config import DEFAULTS

ROUNDS = 3


def airbnb_feed(max_bytes: int, today: date) -> tuple[bytes, int]:
    """A feed just under `max_bytes`, and how many events it holds."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Airbnb Inc//Hosting Calendar//EN"]
    for weekday in range(3):
        first = today + timedelta(days=weekday)
        lines += [
            "BEGIN:VEVENT",
            f"UID:cleaning-{weekday}@calendar.google.com",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{first + timedelta(days=1):%Y%m%d}",
            "RRULE:FREQ=WEEKLY",
            "SUMMARY:Cleaning",
            "END:VEVENT",
        ]
    size, count = sum(len(line) + 2 for line in lines), 3
    while True:
        first = today + timedelta(days=count % 500 - 100)
        event = [
            "BEGIN:VEVENT",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{first + timedelta(days=3):%Y%m%d}",
            f"UID:{count:012x}-{count * 7919:016x}@airbnb.com",
            "SUMMARY:Reserved",
            "DESCRIPTION:Reservation URL: https://www.airbnb.com/hosting/reservations/"
            f"details/HM{count:08d}\\nPhone Number (Last 4 Digits): {count % 10000:04d}",
            "END:VEVENT",
        ]
        event_size = sum(len(line) + 2 for line in event)
        if size + event_size + len("END:VCALENDAR\r\n") > max_bytes:
            break
        lines += event
        size += event_size
        count += 1
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode(), count


def measure() -> str:
    today = date.today()
    body, events = airbnb_feed(DEFAULTS["FEED_MAX_BYTES"], today)
    deadline = DEFAULTS["FEED_TIMEOUT_SECONDS"]
    # No limit here: the point is how long the whole reading takes.
    limits = Limits(float("inf"), deadline, events * 1000)
    seconds = []
    for _ in range(ROUNDS):
        started = time.monotonic()
        reading = read_events(
            body, "UTC", today=today, until=today + timedelta(days=426), limits=limits
        )
        seconds.append(time.monotonic() - started)
    return (
        f"feed of {len(body) / 1e6:.1f} MB, {events} events ({len(reading.events)} with the"
        f" occurrences to come): read in {statistics.median(seconds):.1f} s (median of"
        f" {ROUNDS}; one sync's deadline, download included: {deadline} s)"
    )


if __name__ == "__main__":
    print(measure())
