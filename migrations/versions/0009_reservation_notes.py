"""the host's notes on a reservation, the reason a host gave for cancelling it; an index
for the host's list, newest stays first

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RESERVATION_COLUMNS = [
    sa.Column("cancel_reason", sa.Text(), server_default="", nullable=False),
    sa.Column("host_notes", sa.Text(), server_default="", nullable=False),
]


def upgrade():
    for column in RESERVATION_COLUMNS:
        op.add_column("reservation", column)
    op.create_index("ix_reservation_check_in", "reservation", ["check_in", "id"])


def downgrade():
    op.drop_index("ix_reservation_check_in", table_name="reservation")
    for column in reversed(RESERVATION_COLUMNS):
        op.execute(f"ALTER TABLE reservation DROP COLUMN {column.name}")
