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

POSTGRES_FUNCTION = """
CREATE FUNCTION bump_availability_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE property SET availability_version = availability_version + 1
        WHERE id = OLD.property_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE property SET availability_version = availability_version + 1
        WHERE id = NEW.property_id;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade():
    # A plain ALTER TABLE on SQLite too: copying "property" would cascade to its nights.
    op.add_column(
        "property",
        sa.Column("availability_version", sa.Integer(), nullable=False, server_default="0"),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(
            "CREATE TRIGGER night_changed AFTER INSERT OR UPDATE OR DELETE ON night"
            " FOR EACH ROW EXECUTE FUNCTION bump_availability_version()"
        )
    else:
        for name, (when, body) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} ON night BEGIN {body} END")


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER night_changed ON night")
        op.execute("DROP FUNCTION bump_availability_version()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_column("property", "availability_version")
