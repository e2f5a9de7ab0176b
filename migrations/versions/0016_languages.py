"""languages: each host's own language, the site's language

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-14 09:00:00

A reservation keeps its guest's language since 0004. Accounts made before this speak to
their host as to a guest (""), and the site speaks English until the hosts choose.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "host", sa.Column("locale", sa.String(length=16), server_default="", nullable=False)
    )
    op.add_column(
        "site_settings",
        sa.Column("default_locale", sa.String(length=16), server_default="en", nullable=False),
    )


def downgrade():
    op.execute("ALTER TABLE site_settings DROP COLUMN default_locale")
    op.execute("ALTER TABLE host DROP COLUMN locale")
