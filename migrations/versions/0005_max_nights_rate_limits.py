"""a longest stay per place; rate-limit counters every worker process sees

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "property", sa.Column("max_nights", sa.Integer(), nullable=False, server_default="30")
    )
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counter")),
    )


def downgrade():
    op.drop_table("rate_limit_counter")
    op.execute("ALTER TABLE property DROP COLUMN max_nights")
