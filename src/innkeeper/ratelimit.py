"""Rate-limit counters kept in the app's own database, so every worker process sees them.

A storage for the `limits` library behind Flask-Limiter: `RATELIMIT_STORAGE_URI=database://`
(the default) counts in the `rate_limit_counter` table; `redis://…` works as well.
Fixed windows: a counter and the moment it expires, updated in one upsert.
"""

from flask import request
from limits.storage import Storage
from sqlalchemy import Float, String, delete, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .clock import now
from .extensions import db


class RateLimitCounter(db.Model):
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    # Unix time at which the window ends and the count starts again.
    expires_at: Mapped[float] = mapped_column(Float)


INCREMENT = text(
    "INSERT INTO rate_limit_counter (key, count, expires_at) VALUES (:key, :amount, :expires)"
    " ON CONFLICT (key) DO UPDATE SET"
    " count = CASE WHEN rate_limit_counter.expires_at <= :now THEN :amount"
    " ELSE rate_limit_counter.count + :amount END,"
    " expires_at = CASE WHEN rate_limit_counter.expires_at <= :now THEN :expires"
    " ELSE rate_limit_counter.expires_at END"
    " RETURNING count"
)


def _connection():
    # Its own short transaction, apart from the request's; IMMEDIATE takes SQLite's write
    # lock up front rather than failing to upgrade a read.
    return db.engine.connect().execution_options(sqlite_begin="IMMEDIATE")


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        moment = now().timestamp()
        with _connection() as connection, connection.begin():
            values = {"key": key[:255], "amount": amount, "expires": moment + expiry, "now": moment}
            return connection.execute(INCREMENT, values).scalar_one()

    def _row(self, key: str):
        with _connection() as connection:
            return connection.execute(
                text("SELECT count, expires_at FROM rate_limit_counter WHERE key = :key"),
                {"key": key[:255]},
            ).one_or_none()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row and row.expires_at > now().timestamp() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row and row.expires_at > now().timestamp() else now().timestamp()

    def check(self) -> bool:
        with _connection() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def reset(self) -> int | None:
        with _connection() as connection, connection.begin():
            return connection.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with _connection() as connection, connection.begin():
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key[:255]))


def purge_expired() -> int:
    """Drop the counters whose window has passed; the worker runs it."""
    with _connection() as connection, connection.begin():
        query = delete(RateLimitCounter).where(RateLimitCounter.expires_at <= now().timestamp())
        return connection.execute(query).rowcount


def from_this_machine() -> bool:
    """The request comes from the server itself (a health check, a local script, a proxy
    whose PROXY_COUNT is not set): guests' booking limits do not apply to it."""
    return request.remote_addr in ("127.0.0.1", "::1")
