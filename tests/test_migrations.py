"""The migrations build exactly the models' schema, and keep data across upgrade and downgrade."""

import json
import os
import re
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from innkeeper import create_app
from innkeeper.extensions import db
from tests.helpers import POSTGRES_ADMIN_URL, base_config


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


@pytest.fixture
def empty_app(tmp_path, empty_database_url):
    """The app, in an app context, on a database that no migration has touched yet."""
    app = create_app(base_config(tmp_path, empty_database_url))
    with app.app_context():
        yield app
        db.engine.dispose()


# --- data that every migration must keep -------------------------------------------
#
# Plain SQL, written against the columns of the revision that creates each table, so that
# it still fits when later revisions add columns (with defaults, as they must to keep rows).


def _seed_properties(connection):
    connection.execute(
        text(
            "INSERT INTO property (id, slug, name, description, photos, currency, timezone,"
            " nightly_rate_cents, weekend_rate_cents, cleaning_fee_cents, min_nights,"
            " max_guests, published, created_at) VALUES"
            " (1, 'cabin', 'Cabin', '', :cabin_photos, 'USD', 'UTC', 100, 100, 0, 1, 2, true,"
            " '2030-01-01 00:00:00'),"
            " (2, 'loft', 'Loft', '', '[]', 'EUR', 'UTC', 200, 200, 0, 1, 2, true,"
            " '2030-01-01 00:00:00')"
        ),
        {"cabin_photos": json.dumps(CABIN_PICTURES)},
    )


# The pictures property.photos listed before 0009 made them rows.
CABIN_PICTURES = [
    {"src": "photos/cabin.svg", "alt": "The cabin"},
    {"src": "photos/stove.svg", "alt": "The stove"},
]


def _seed_uploaded_photo(connection):
    connection.execute(
        text(
            "INSERT INTO photo (id, property_id, position, alt, key, widths, static_src, width,"
            " height, created_at) VALUES (10, 2, 0, 'The loft', '0123456789abcdef0123456789abcdef',"
            " '[480, 960]', NULL, 960, 640, '2030-01-01 00:00:00')"
        )
    )


def _seed_host_block(connection):
    connection.execute(
        text(
            "INSERT INTO block (id, property_id, start_date, end_date, note, created_at)"
            " VALUES (1, 1, '2031-05-01', '2031-05-03', 'Repairs', '2030-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO night (property_id, night, block_id)"
            " VALUES (1, '2031-05-01', 1), (1, '2031-05-02', 1)"
        )
    )


def _seed_reservations(connection):
    for id_, property_id, check_in, check_out in (
        (1, 1, "2031-06-10", "2031-06-13"),
        (2, 2, "2031-06-20", "2031-06-21"),
    ):
        connection.execute(
            text(
                "INSERT INTO reservation (id, code, token_nonce, property_id, check_in,"
                " check_out, guests, guest_name, guest_email, guest_phone, guest_message,"
                " currency, price_lines, nights_total_cents, cleaning_fee_cents, total_cents,"
                f" status, created_at) VALUES ({id_}, 'CODE{id_}', 'nonce{id_}', {property_id},"
                f" '{check_in}', '{check_out}', 2, 'Ada', 'ada@example.com', '', '', 'USD',"
                " '[]', 300, 0, 300, 'confirmed', '2030-01-01 00:00:00')"
            )
        )
    connection.execute(
        text(
            "INSERT INTO night (property_id, night, reservation_id) VALUES"
            " (1, '2031-06-10', 1), (1, '2031-06-11', 1), (1, '2031-06-12', 1),"
            " (2, '2031-06-20', 2)"
        )
    )


def _seed_outbox(connection):
    for id_, reservation_id in ((1, "1"), (2, "1"), (3, "2"), (4, "NULL")):
        connection.execute(
            text(
                "INSERT INTO outbox_message (id, kind, recipients, subject, text_body,"
                " html_body, attachments, message_id, reservation_id, status, attempts,"
                f" next_attempt_at, last_error, created_at) VALUES ({id_}, 'confirmation',"
                f" '[]', 'Hello', '', '', '[]', '<m{id_}@innkeeper.test>', {reservation_id},"
                " 'pending', 0, '2030-01-01 00:00:00', '', '2030-01-01 00:00:00')"
            )
        )


def _seed_calendar_feed(connection):
    connection.execute(
        text(
            "INSERT INTO calendar_feed (id, property_id, url, label, created_at, last_error,"
            " event_count, conflicts) VALUES (1, 2, 'https://example.com/loft.ics', 'Airbnb',"
            " '2030-01-01 00:00:00', '', 1, '')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO block (id, property_id, start_date, end_date, note, created_at,"
            " feed_id, uid) VALUES (2, 2, '2031-07-01', '2031-07-03', '',"
            " '2030-01-01 00:00:00', 1, 'event-1@example.com')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO night (property_id, night, block_id)"
            " VALUES (2, '2031-07-01', 2), (2, '2031-07-02', 2)"
        )
    )


def _seed_host(connection):
    connection.execute(
        text(
            "INSERT INTO host (id, email, password_hash, created_at) VALUES"
            " (1, 'host@example.com', 'scrypt:32768:8:1$salt$hash', '2030-01-01 00:00:00')"
        )
    )


def _seed_host_sessions(connection):
    connection.execute(
        text(
            "INSERT INTO host_session (id, token_hash, host_id, created_at, last_seen_at)"
            " VALUES (1, 'digest-1', 1, '2030-01-01 00:00:00', '2030-01-01 00:05:00')"
        )
    )


def _seed_season(connection):
    connection.execute(
        text(
            "INSERT INTO season (id, property_id, start_date, end_date, nightly_rate_minor,"
            " weekend_rate_minor, min_nights, created_at) VALUES (1, 1, '2031-08-01',"
            " '2031-08-03', 150, 180, NULL, '2030-01-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO season_night (property_id, night, season_id)"
            " VALUES (1, '2031-08-01', 1), (1, '2031-08-02', 1)"
        )
    )


# Each seed runs once the tables it writes exist, in this order.
SEEDS = {
    "properties": ({"property"}, _seed_properties),
    "host block": ({"block", "night"}, _seed_host_block),
    "reservations": ({"reservation", "night"}, _seed_reservations),
    "outbox": ({"outbox_message"}, _seed_outbox),
    "calendar feed": ({"calendar_feed"}, _seed_calendar_feed),
    "host": ({"host"}, _seed_host),
    "host sessions": ({"host_session"}, _seed_host_sessions),
    "season": ({"season", "season_night"}, _seed_season),
    "uploaded photo": ({"photo"}, _seed_uploaded_photo),
}

PROPERTIES = "SELECT id, slug FROM property ORDER BY id"
NIGHTS = (
    "SELECT property_id, night, reservation_id, block_id FROM night ORDER BY property_id, night"
)
BLOCKS = "SELECT id, property_id, start_date, end_date, note, feed_id, uid FROM block ORDER BY id"
RESERVATIONS = (
    "SELECT id, code, property_id, check_in, check_out, status FROM reservation ORDER BY id"
)
OUTBOX = "SELECT id, message_id, reservation_id FROM outbox_message ORDER BY id"
FEEDS = "SELECT id, property_id, url, label FROM calendar_feed ORDER BY id"
HOSTS = "SELECT id, email, password_hash FROM host ORDER BY id"
HOST_SESSIONS = "SELECT id, token_hash, host_id FROM host_session ORDER BY id"
SEASON_NIGHTS = "SELECT property_id, night, season_id FROM season_night ORDER BY night"
PHOTOS = (
    "SELECT property_id, position, alt, key, static_src, width, height FROM photo"
    " ORDER BY property_id, position"
)

EXPECTED = {
    PROPERTIES: [(1, "cabin"), (2, "loft")],
    NIGHTS: [
        (1, "2031-05-01", None, 1),
        (1, "2031-05-02", None, 1),
        (1, "2031-06-10", 1, None),
        (1, "2031-06-11", 1, None),
        (1, "2031-06-12", 1, None),
        (2, "2031-06-20", 2, None),
        (2, "2031-07-01", None, 2),
        (2, "2031-07-02", None, 2),
    ],
    BLOCKS: [
        (1, 1, "2031-05-01", "2031-05-03", "Repairs", None, None),
        (2, 2, "2031-07-01", "2031-07-03", "", 1, "event-1@example.com"),
    ],
    RESERVATIONS: [
        (1, "CODE1", 1, "2031-06-10", "2031-06-13", "confirmed"),
        (2, "CODE2", 2, "2031-06-20", "2031-06-21", "confirmed"),
    ],
    OUTBOX: [
        (1, "<m1@innkeeper.test>", 1),
        (2, "<m2@innkeeper.test>", 1),
        (3, "<m3@innkeeper.test>", 2),
        (4, "<m4@innkeeper.test>", None),
    ],
    FEEDS: [(1, 2, "https://example.com/loft.ics", "Airbnb")],
    HOSTS: [(1, "host@example.com", "scrypt:32768:8:1$salt$hash")],
    HOST_SESSIONS: [(1, "digest-1", 1)],
    SEASON_NIGHTS: [(1, "2031-08-01", 1), (1, "2031-08-02", 1)],
    PHOTOS: [
        (1, 0, "The cabin", None, "photos/cabin.svg", 640, 400),
        (1, 1, "The stove", None, "photos/stove.svg", 640, 400),
        (2, 0, "The loft", "0123456789abcdef0123456789abcdef", None, 960, 640),
    ],
}

NIGHT_TRIGGERS = {"night_added", "night_removed", "night_changed"}


def seed(seeded: set) -> None:
    """Run every seed whose tables now exist and that has not run yet."""
    tables = set(inspect(db.engine).get_table_names())
    with db.engine.begin() as connection:
        for name, (needs, write) in SEEDS.items():
            if name not in seeded and needs <= tables:
                write(connection)
                seeded.add(name)


def rows(query: str) -> list[tuple]:
    """The query's rows, with dates as ISO strings on both engines."""
    with db.engine.connect() as connection:
        return [
            tuple(v.isoformat() if isinstance(v, date) else v for v in row)
            for row in connection.execute(text(query))
        ]


def assert_every_row_kept() -> None:
    for query, expected in EXPECTED.items():
        assert rows(query) == expected, query


def night_triggers() -> set:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'night'"
        else:
            query = (
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = 'night'::regclass AND NOT tgisinternal"
            )
        return set(connection.execute(text(query)).scalars())


def availability_versions() -> dict:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, availability_version FROM property"))
        return dict(rows.all())


def revisions_base_to_head() -> list[str]:
    config = current_app.extensions["migrate"].migrate.get_config()
    return [
        script.revision
        for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]


def upgrade_seeding_each_table_where_it_appears(until: str | None = None) -> None:
    """Upgrade an empty database one revision at a time, seeding tables as they appear;
    up to the revision `until`, or to head."""
    seeded = set()
    for revision in revisions_base_to_head():
        upgrade(revision=revision)
        seed(seeded)
        if revision == until:
            break
    else:
        upgrade()
    assert seeded == set(SEEDS)


def test_upgrade_from_the_first_revision_keeps_every_row(empty_app):
    upgrade_seeding_each_table_where_it_appears()

    assert_every_row_kept()
    assert schema_differences() == []

    # The triggers are there, and bump the version of the property whose nights change.
    assert night_triggers() >= NIGHT_TRIGGERS
    before = availability_versions()
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO block (id, property_id, start_date, end_date, note, created_at)"
                " VALUES (3, 1, '2031-08-01', '2031-08-02', '', '2030-01-01 00:00:00')"
            )
        )
        connection.execute(
            text("INSERT INTO night (property_id, night, block_id) VALUES (1, '2031-08-01', 3)")
        )
    added = availability_versions()
    assert added[1] > before[1]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE night SET night = '2031-08-05' WHERE block_id = 3"))
    changed = availability_versions()
    assert changed[1] > added[1]
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM night WHERE block_id = 3"))
    removed = availability_versions()
    assert removed[1] > changed[1]
    assert removed[2] == before[2]


def test_calendar_feeds_downgrade_drops_imported_blocks_with_their_nights(empty_app):
    upgrade_seeding_each_table_where_it_appears()

    downgrade(revision="0001")
    assert rows("SELECT id, note FROM block ORDER BY id") == [(1, "Repairs")]
    assert rows(NIGHTS) == [night for night in EXPECTED[NIGHTS] if night[3] != 2]
    for query in (PROPERTIES, RESERVATIONS, OUTBOX):
        assert rows(query) == EXPECTED[query]

    upgrade()
    assert schema_differences() == []


def test_host_sessions_downgrade_keeps_the_host_accounts(empty_app):
    upgrade_seeding_each_table_where_it_appears()

    downgrade(revision="0005")
    assert "host_session" not in inspect(db.engine).get_table_names()
    for query in (HOSTS, PROPERTIES, RESERVATIONS, OUTBOX, FEEDS):
        assert rows(query) == EXPECTED[query]

    upgrade()
    assert schema_differences() == []


def test_feed_events_migration_gives_each_feed_its_own_export_link(empty_app):
    upgrade_seeding_each_table_where_it_appears()

    [(token, notices, validators)] = rows(
        "SELECT export_token, notices, validators FROM calendar_feed"
    )
    assert len(token) >= 32
    assert (notices in ("[]", []), validators) == (True, None)

    # Down to the revision before, and up again: the feed, its blocks and nights stay.
    downgrade(revision="0006")
    assert "export_token" not in {
        c["name"] for c in inspect(db.engine).get_columns("calendar_feed")
    }
    for query in (HOSTS, PROPERTIES, NIGHTS, BLOCKS, RESERVATIONS, OUTBOX, FEEDS):
        assert rows(query) == EXPECTED[query], query
    upgrade()
    for query in (HOSTS, PROPERTIES, NIGHTS, BLOCKS, RESERVATIONS, OUTBOX, FEEDS):
        assert rows(query) == EXPECTED[query], query
    assert schema_differences() == []
    assert night_triggers() >= NIGHT_TRIGGERS


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


def test_photos_downgrade_puts_the_shipped_pictures_back_in_the_property(empty_app):
    upgrade_seeding_each_table_where_it_appears()

    downgrade(revision="0010")
    listed = {
        slug: json.loads(photos) if isinstance(photos, str) else photos
        for slug, photos in rows("SELECT slug, photos FROM property ORDER BY id")
    }
    # The uploaded photo has no place in the old column: only the shipped pictures return.
    assert listed == {"cabin": CABIN_PICTURES, "loft": []}
    assert "photo" not in inspect(db.engine).get_table_names()

    upgrade()
    assert rows(PHOTOS) == [photo for photo in EXPECTED[PHOTOS] if photo[3] is None]
    assert schema_differences() == []


# --- batch migrations to come ----------------------------------------------------------

EXTRA_REVISION = '''"""throw-away revision on top of head, written by tests/test_migrations.py"""

import sqlalchemy as sa
from alembic import op

revision = "extra"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
'''

# SQLite copies, drops and renames each table (recreate="always" forces it even where
# SQLite could ALTER in place); PostgreSQL alters them in place.
RECREATE_REFERENCED_TABLES = """
    recreate = "always" if op.get_context().dialect.name == "sqlite" else "auto"
    for table in ("reservation", "outbox_message", "block", "season"):
        with op.batch_alter_table(table, recreate=recreate) as batch_op:
            batch_op.add_column(sa.Column("extra", sa.Integer(), nullable=True))
"""


def upgrade_with_extra_revision(tmp_path: Path, body: str) -> None:
    """Upgrade to head and one more revision, through the project's own env.py."""
    migrate = current_app.extensions["migrate"]
    config = migrate.migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    extra = tmp_path / "extra_versions"
    extra.mkdir()
    (extra / "extra.py").write_text(EXTRA_REVISION.format(head=head, body=body))
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations",
        os.pathsep.join([str(Path(migrate.directory) / "versions"), str(extra)]),
    )
    command.upgrade(config, "head")


def test_a_batch_migration_of_referenced_tables_keeps_nights_and_links(empty_app, tmp_path):
    upgrade_seeding_each_table_where_it_appears()

    upgrade_with_extra_revision(tmp_path, RECREATE_REFERENCED_TABLES)

    assert {c["name"] for c in inspect(db.engine).get_columns("reservation")} >= {"extra"}
    assert rows(NIGHTS) == EXPECTED[NIGHTS]
    assert rows(OUTBOX) == EXPECTED[OUTBOX]
    assert_every_row_kept()
    assert night_triggers() >= NIGHT_TRIGGERS
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # The connection goes back to the pool as the app set it up.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_migration_leaving_a_dangling_foreign_key_fails_and_changes_nothing(empty_app, tmp_path):
    upgrade_seeding_each_table_where_it_appears()
    head = ScriptDirectory.from_config(
        current_app.extensions["migrate"].migrate.get_config()
    ).get_current_head()

    orphan = (
        '    op.execute("INSERT INTO night (property_id, night, reservation_id)'
        " VALUES (1, '2031-09-01', 99)\")"
    )
    with pytest.raises(RuntimeError, match=r"dangling foreign key.*\n.*night .*-> reservation"):
        upgrade_with_extra_revision(tmp_path, orphan)

    assert_every_row_kept()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_requests_downgrade_cancels_every_unaccepted_request_and_frees_its_nights(empty_app):
    upgrade_seeding_each_table_where_it_appears()
    with db.engine.begin() as connection:
        for id_, status in ((3, "requested"), (4, "declined"), (5, "expired")):
            connection.execute(
                text(
                    "INSERT INTO reservation (id, code, token_nonce, property_id, check_in,"
                    " check_out, guests, guest_name, guest_email, guest_phone, guest_message,"
                    " currency, price_lines, total_minor, status, created_at, request_expires_at)"
                    f" VALUES ({id_}, 'ASK{id_}', 'nonce', 1, '2031-09-0{id_}',"
                    f" '2031-09-0{id_ + 1}', 2, 'Ada', 'ada@example.com', '', '', 'USD', '[]',"
                    f" 100, '{status}', '2030-01-01 00:00:00', '2030-01-02 00:00:00')"
                )
            )
        connection.execute(
            text(
                "INSERT INTO night (property_id, night, reservation_id) VALUES (1, '2031-09-03', 3)"
            )
        )

    downgrade(revision="0014")

    assert rows("SELECT id, status FROM reservation WHERE id > 2 ORDER BY id") == [
        (3, "cancelled"),
        (4, "cancelled"),
        (5, "cancelled"),
    ]
    assert_rows_kept_beside_the_requests()
    assert night_triggers() >= NIGHT_TRIGGERS
    upgrade()
    assert schema_differences() == []
    assert_rows_kept_beside_the_requests()


def assert_rows_kept_beside_the_requests() -> None:
    """Every seeded row as it was, the request's night gone with it; the requests are extra."""
    for query, expected in EXPECTED.items():
        if query == RESERVATIONS:
            assert rows(query)[: len(expected)] == expected
        else:
            assert rows(query) == expected, query


def test_languages_migration_gives_old_accounts_and_settings_their_defaults(empty_app):
    upgrade(revision="0015")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO host (id, email, password_hash, created_at)"
                " VALUES (7, 'old@example.com', 'x', '2030-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO site_settings (id, site_name, sender_name, sender_address, reply_to,"
                " host_contact) VALUES (1, 'Casa Azul', '', '', '', '')"
            )
        )

    upgrade()
    # The host is spoken to as a guest is; the site speaks English until the hosts choose.
    assert rows("SELECT id, locale FROM host") == [(7, "")]
    assert rows("SELECT site_name, default_locale FROM site_settings") == [("Casa Azul", "en")]
    assert schema_differences() == []

    downgrade(revision="0015")
    assert rows("SELECT id, email FROM host") == [(7, "old@example.com")]
    assert rows("SELECT site_name FROM site_settings") == [("Casa Azul",)]


def test_guest_mail_migration_thanks_no_stay_already_over_and_downgrades_cleanly(empty_app):
    upgrade_seeding_each_table_where_it_appears(until="0015")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reservation (id, code, token_nonce, property_id, check_in,"
                " check_out, guests, guest_name, guest_email, guest_phone, guest_message,"
                " currency, price_lines, total_minor, status, created_at) VALUES"
                " (3, 'LONGAGO', 'nonce', 1, '2020-01-01', '2020-01-03', 2, 'Ada',"
                " 'ada@example.com', '', '', 'USD', '[]', 100, 'confirmed', '2019-12-01 00:00:00')"
            )
        )

    upgrade(revision="0017")

    assert rows(
        "SELECT id, pre_arrival_queued_at IS NULL, thank_you_queued_at IS NULL"
        " FROM reservation ORDER BY id"
    ) == [(1, True, True), (2, True, True), (3, True, False)]
    assert rows("SELECT DISTINCT arrival_instructions FROM property") == [("",)]
    downgrade(revision="0015")
    assert_rows_kept_beside_the_requests()
    upgrade()


def test_units_downgrade_leaves_every_place_on_its_own_and_keeps_every_row(empty_app):
    upgrade_seeding_each_table_where_it_appears()
    assert rows("SELECT id, parent_id FROM property ORDER BY id") == [(1, None), (2, None)]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE property SET parent_id = 1 WHERE id = 2"))
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(text("UPDATE property SET parent_id = id WHERE id = 1"))

    downgrade(revision="0015")
    assert "parent_id" not in {c["name"] for c in inspect(db.engine).get_columns("property")}
    assert_every_row_kept()
    assert night_triggers() >= NIGHT_TRIGGERS

    upgrade()
    assert rows("SELECT id, parent_id FROM property ORDER BY id") == [(1, None), (2, None)]
    assert_every_row_kept()
    assert schema_differences() == []
