"""Engine set-up and the write transaction that every booking change runs in."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import ColumnElement, Engine, event, func, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .extensions import db

# Namespace for pg_advisory_xact_lock(namespace, property_id).
PROPERTY_LOCK_NAMESPACE = 0x1A4E


class Busy(Exception):
    """A write waited too long for another one holding the same lock; try again shortly."""

    retry_after_seconds = 2


def _is_contention(error: OperationalError) -> bool:
    """PostgreSQL's lock timeout or a deadlock, or SQLite's busy timeout."""
    if getattr(error.orig, "sqlstate", None) in ("55P03", "40P01"):
        return True
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself, so a write transaction can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() folds only ASCII; PostgreSQL's folds every letter, as this does.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that later writes fails at once when another writer
        # got in first; IMMEDIATE takes the write lock up front and waits its turn.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run the block in one transaction holding the database's write lock; commit at the end.

    Ends a read-only transaction the session may have open, so the write lock is
    taken before anything is read. A lock wait that runs out raises Busy.
    """
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("write_transaction() would discard pending changes")
        session.rollback()
    try:
        connection = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        if connection.dialect.name == "postgresql":
            timeout = int(current_app.config["BOOKING_LOCK_TIMEOUT_MS"])
            connection.execute(
                text("SELECT set_config('lock_timeout', :value, true)"), {"value": f"{timeout}ms"}
            )
        yield session
        session.commit()
    except OperationalError as error:
        session.rollback()
        if _is_contention(error):
            raise Busy(str(error.orig)) from error
        raise
    except BaseException:
        session.rollback()
        raise


def contains_ignoring_case(column, needle: str) -> ColumnElement[bool]:
    """`column` contains `needle`, whatever the case of any letter, on both engines.

    SQLite's LIKE ignores the case of ASCII letters by itself, while lower() calls into
    Python for each row there (see configure_engine): it is kept for other letters.
    """
    if needle.isascii() and db.session.get_bind().dialect.name == "sqlite":
        return column.contains(needle, autoescape=True)
    return func.lower(column).contains(needle.lower(), autoescape=True)


def lock_property(property_id: int) -> None:
    """Serialise bookings of one property until the transaction ends.

    SQLite's IMMEDIATE transaction already serialises every writer; PostgreSQL takes a
    transaction-scoped advisory lock so that contending bookings queue instead of
    deadlocking on the night rows.
    """
    if not current_app.config["BOOKING_LOCK"]:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
            {"namespace": PROPERTY_LOCK_NAMESPACE, "key": property_id},
        )
