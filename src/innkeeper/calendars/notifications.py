"""What a calendar conflict mails, and to whom."""

from ..host.services import host_addresses
from ..mail import outbox
from ..web import external_url


def calendar_conflict(feed, conflicts: list[dict]) -> None:
    """Another site's calendar has events on nights already taken here: one line each."""
    for address in host_addresses():
        outbox.queue(
            "host_calendar_conflict",
            [address],
            feed=feed,
            conflicts=conflicts,
            link=external_url("dashboard.show"),
        )
