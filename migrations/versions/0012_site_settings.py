"""the site's settings (name, mail sender, Reply-To, host contact); each message keeps the
sender and Reply-To it was queued with

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OUTBOX_COLUMNS = [
    sa.Column("sender", sa.String(length=340), server_default="", nullable=False),
    sa.Column("reply_to", sa.String(length=254), server_default="", nullable=False),
]


def upgrade():
    op.create_table(
        "site_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_name", sa.String(length=80), nullable=False),
        sa.Column("sender_name", sa.String(length=80), nullable=False),
        sa.Column("sender_address", sa.String(length=254), nullable=False),
        sa.Column("reply_to", sa.String(length=254), nullable=False),
        sa.Column("host_contact", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_settings_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_settings")),
    )
    for column in OUTBOX_COLUMNS:
        op.add_column("outbox_message", column)


def downgrade():
    for column in reversed(OUTBOX_COLUMNS):
        op.execute(f"ALTER TABLE outbox_message DROP COLUMN {column.name}")
    op.drop_table("site_settings")
