"""feed events: what a reading left out, each subscription's export link, HTTP validators

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

calendar_feed = sa.table("calendar_feed", sa.column("id"), sa.column("export_token"))


def upgrade():
    op.add_column(
        "calendar_feed", sa.Column("notices", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column("calendar_feed", sa.Column("validators", sa.JSON(), nullable=True))
    op.add_column("calendar_feed", sa.Column("export_token", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for (feed_id,) in connection.execute(sa.select(calendar_feed.c.id)).all():
        connection.execute(
            calendar_feed.update()
            .where(calendar_feed.c.id == feed_id)
            .values(export_token=secrets.token_urlsafe(24))
        )
    # SQLite alters a column by copying the table (see env.py: foreign keys are off meanwhile).
    with op.batch_alter_table("calendar_feed") as batch_op:
        batch_op.alter_column("export_token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_calendar_feed_export_token"), ["export_token"]
        )


def downgrade():
    with op.batch_alter_table("calendar_feed") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_calendar_feed_export_token"), type_="unique")
        batch_op.drop_column("export_token")
    op.execute("ALTER TABLE calendar_feed DROP COLUMN validators")
    op.execute("ALTER TABLE calendar_feed DROP COLUMN notices")
