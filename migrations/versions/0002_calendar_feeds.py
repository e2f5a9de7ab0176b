"""calendar feeds: other sites' calendars, imported as blocks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 14:02:11.481220

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Text(), nullable=False),
        sa.Column("empty_since", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_calendar_feed_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("property_id", "url", name=op.f("uq_calendar_feed_property_id")),
    )
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("uid", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_block_feed_uid", ["feed_id", "uid"], unique=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_block_feed_id_calendar_feed"),
            "calendar_feed",
            ["feed_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    # Imported blocks go with their feeds; the host's own blocks stay. Their nights are
    # deleted by hand: SQLite runs migrations with foreign keys off (see env.py), so no
    # ON DELETE CASCADE would.
    op.execute(
        "DELETE FROM night WHERE block_id IN (SELECT id FROM block WHERE feed_id IS NOT NULL)"
    )
    op.execute("DELETE FROM block WHERE feed_id IS NOT NULL")
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_block_feed_id_calendar_feed"), type_="foreignkey")
        batch_op.drop_index("ix_block_feed_uid")
        batch_op.drop_column("uid")
        batch_op.drop_column("feed_id")
    op.drop_table("calendar_feed")
