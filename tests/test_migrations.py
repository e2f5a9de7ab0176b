"""The migrations build exactly the models' schema, and keep data across upgrade and downgrade."""

import re
import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from innkeeper import create_app
from innkeeper.extensions import db

from .conftest import POSTGRES_ADMIN_URL, base_config


def schema_differences() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_migrated_database_matches_the_models(app):
    assert schema_differences() == []


@pytest.fixture
def empty_database_url(engine_name, request, tmp_path):
    """A database with no table at all, dropped after the test."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("postgres_database")  # skips when PostgreSQL is not there
    name = f"innkeeper_migrations_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", POSTGRES_ADMIN_URL).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BLOCKED_NIGHTS = "SELECT night, block_id FROM night ORDER BY night"


def test_calendar_feeds_migration_keeps_the_hosts_blocked_nights(tmp_path, empty_database_url):
    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO property (id, slug, name, description, photos, currency,"
                    " timezone, nightly_rate_cents, weekend_rate_cents, cleaning_fee_cents,"
                    " min_nights, max_guests, published, created_at) VALUES (1, 'cabin',"
                    " 'Cabin', '', '[]', 'USD', 'UTC', 100, 100, 0, 1, 2, true, '2030-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO block (id, property_id, start_date, end_date, note, created_at)"
                    " VALUES (1, 1, '2031-05-01', '2031-05-03', 'Repairs', '2030-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO night (property_id, night, block_id)"
                    " VALUES (1, '2031-05-01', 1), (1, '2031-05-02', 1)"
                )
            )
        with db.engine.connect() as connection:
            before = connection.execute(text(BLOCKED_NIGHTS)).all()
        assert len(before) == 2

        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text(BLOCKED_NIGHTS)).all() == before
        assert schema_differences() == []

        downgrade(revision="0001")
        with db.engine.connect() as connection:
            assert connection.execute(text(BLOCKED_NIGHTS)).all() == before
        assert "calendar_feed" not in inspect(db.engine).get_table_names()
        assert "feed_id" not in {c["name"] for c in inspect(db.engine).get_columns("block")}

        upgrade()
        assert schema_differences() == []
        db.engine.dispose()
