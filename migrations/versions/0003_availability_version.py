"""availability version: a counter the database bumps whenever a property's nights change

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 14:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BUMP = (
    "UPDATE property SET availability_version = availability_version + 1"
    " WHERE id = {row}.property_id;"
)

SQLITE_TRIGGERS = {
    "night_added": ("AFTER INSERT", BUMP.format(row="NEW")),
    "night_removed": ("AFTER DELETE", BUMP.format(row="OLD")),
    "night_changed": ("AFTER UPDATE", BUMP.format(row="OLD") + " " + BUMP.format(row="NEW")),
}

# PostgreSQL bumps once per statement, after all its rows are written, so the property
# row is locked as late and as briefly as possible. Writers of a property's nights take
# its advisory lock first, so they never wait on each other here.
POSTGRES_FUNCTION = """
CREATE FUNCTION bump_availability_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE property SET availability_version = availability_version + 1
    WHERE id IN (SELECT property_id FROM changed_nights);
    RETURN NULL;
END
$$
"""
POSTGRES_TRIGGERS = {
    "night_added": "AFTER INSERT ON night REFERENCING NEW TABLE AS changed_nights",
    "night_removed": "AFTER DELETE ON night REFERENCING OLD TABLE AS changed_nights",
    "night_changed": "AFTER UPDATE ON night REFERENCING NEW TABLE AS changed_nights",
}


def upgrade():
    # A plain ALTER TABLE on SQLite too: SQLite adds a column in place, no copy of "property".
    op.add_column(
        "property",
        sa.Column("availability_version", sa.Integer(), nullable=False, server_default="0"),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for name, when in POSTGRES_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {when}"
                " FOR EACH STATEMENT EXECUTE FUNCTION bump_availability_version()"
            )
    else:
        for name, (when, body) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} ON night BEGIN {body} END")


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        for name in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON night")
        op.execute("DROP FUNCTION bump_availability_version()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_column("property", "availability_version")
