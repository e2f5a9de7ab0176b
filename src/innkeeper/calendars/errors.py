class FeedError(Exception):
    """A feed that cannot be added or synced; the message tells the host why."""
