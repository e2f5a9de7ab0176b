"""feed events: what a reading of a feed left out

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02 08:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "calendar_feed", sa.Column("notices", sa.JSON(), nullable=False, server_default="[]")
    )


def downgrade():
    op.execute("ALTER TABLE calendar_feed DROP COLUMN notices")
