"""What a calendar conflict mails, and to whom."""

from ..host.services import host_recipients
from ..mail import outbox
from ..web import external_url
from .models import CONFLICTS_SHOWN


def calendar_conflict(feed, conflicts: list[dict]) -> None:
    """Another site's calendar has events on nights already taken here: how many, the first
    few, and a link to the feed's host page, which shows them all (a feed may bring thousands)."""
    for address, locale in host_recipients():
        outbox.queue(
            "host_calendar_conflict",
            [address],
            locale=locale,
            feed=feed,
            count=len(conflicts),
            conflicts=conflicts[:CONFLICTS_SHOWN],
            link=external_url(
                "calendars_admin.index", slug=feed.property.slug, _anchor=f"feed-{feed.id}"
            ),
        )
