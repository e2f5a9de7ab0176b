import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# Keep the app's own loggers working when migrations run inside it (tests, CLI).
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def run_migrations_offline():
    """Emit the SQL to a script instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _set_sqlite_foreign_keys(connection, on: bool) -> bool:
    """Turn SQLite's foreign keys on or off for this connection; returns how they were.

    The pragma does nothing inside a transaction, and a statement sent through SQLAlchemy
    would open one first (the engine's "begin" listener emits BEGIN), so it goes to the
    driver's connection directly, and is read back to be sure it took.
    """
    cursor = connection.connection.driver_connection.cursor()
    try:
        were_on = bool(cursor.execute("PRAGMA foreign_keys").fetchone()[0])
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        now_on = bool(cursor.execute("PRAGMA foreign_keys").fetchone()[0])
    finally:
        cursor.close()
    if now_on != on:
        raise RuntimeError(f"could not turn SQLite foreign keys {'on' if on else 'off'}")
    return were_on


def _check_sqlite_foreign_keys(connection):
    """Fail, before the migrations commit, if any row now points at a row that is not there."""
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if not problems:
        return
    lines = []
    for table, rowid, parent, _ in problems[:20]:
        row = None
        if rowid is not None:  # None: a WITHOUT ROWID table
            row = connection.exec_driver_sql(
                f'SELECT * FROM "{table}" WHERE rowid = ?', (rowid,)
            ).one_or_none()
        lines.append(f"{table} {tuple(row) if row else f'rowid {rowid}'} -> {parent}")
    raise RuntimeError(
        f"the migrations would leave {len(problems)} row(s) with a dangling foreign key,"
        " nothing was committed:\n" + "\n".join(lines)
    )


@contextmanager
def _sqlite_foreign_keys_off(connection):
    """On SQLite, run the migrations with foreign keys off, in one transaction.

    Batch mode alters a table by copying it, dropping the original and renaming the copy.
    With foreign keys on, that DROP TABLE fires every ON DELETE of the tables referring to
    it (altering "reservation" would delete its nights and unlink its outbox messages), so
    Alembic's batch documentation says to turn them off while batch operations run. The
    database then enforces nothing, so PRAGMA foreign_key_check verifies the result before
    the single transaction commits, as SQLite's own recipe for altering tables does.

    Triggers are another matter. SQLite drops a table's triggers with it, so a migration
    that batch-alters "night" must create night_added, night_removed and night_changed
    again (see 0003_availability_version); and one that batch-alters "property", which
    those triggers update, fails ("error in trigger night_added: no such table") unless it
    drops them first and creates them again after.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    were_on = _set_sqlite_foreign_keys(connection, on=False)
    try:
        # Begun before context.configure(), so Alembic leaves the transaction to us: on
        # SQLite it would otherwise commit each revision before the check could run.
        with connection.begin():
            yield
            _check_sqlite_foreign_keys(connection)
    finally:
        try:
            _set_sqlite_foreign_keys(connection, on=were_on)
        except Exception:
            # Never give the pool back a connection that may still ignore foreign keys.
            connection.invalidate()
            raise


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # An autogenerate with no change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    with target_db.engine.connect() as connection, _sqlite_foreign_keys_off(connection):
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
