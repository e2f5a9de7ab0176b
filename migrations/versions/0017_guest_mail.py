"""guest mail: a place's arrival instructions; when a stay's pre-arrival mail and its
thank-you were queued

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-20 09:00:00

Stays already over when this runs are marked as thanked, so that the first worker run
after the upgrade does not thank guests for stays long past.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

RESERVATION_COLUMNS = ["pre_arrival_queued_at", "thank_you_queued_at"]


def upgrade():
    op.add_column(
        "property",
        sa.Column("arrival_instructions", sa.Text(), server_default="", nullable=False),
    )
    for name in RESERVATION_COLUMNS:
        op.add_column("reservation", sa.Column(name, sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE reservation SET thank_you_queued_at = CURRENT_TIMESTAMP"
        " WHERE check_out < CURRENT_DATE"
    )


def downgrade():
    for name in reversed(RESERVATION_COLUMNS):
        op.execute(f"ALTER TABLE reservation DROP COLUMN {name}")
    op.execute("ALTER TABLE property DROP COLUMN arrival_instructions")
