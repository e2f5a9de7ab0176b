"""host sessions kept on the server, so that signing out ends them

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "host_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["host.id"],
            name=op.f("fk_host_session_host_id_host"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_host_session_token_hash")),
    )
    op.create_index(op.f("ix_host_session_host_id"), "host_session", ["host_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_host_session_host_id"), table_name="host_session")
    op.drop_table("host_session")
