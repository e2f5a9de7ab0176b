"""translations: a place's words in other languages than the one the host wrote them in

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-21 09:00:00

Each place is taken to be written in the site's language, as the host has run it so far.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "property", sa.Column("locale", sa.String(length=16), server_default="en", nullable=False)
    )
    op.execute(
        "UPDATE property SET locale = (SELECT default_locale FROM site_settings"
        " ORDER BY id LIMIT 1) WHERE EXISTS (SELECT 1 FROM site_settings)"
    )
    op.create_table(
        "property_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amenities_note", sa.Text(), nullable=False),
        sa.Column("house_rules", sa.Text(), nullable=False),
        sa.Column("arrival_instructions", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_property_translation_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_property_translation")),
        sa.UniqueConstraint(
            "property_id", "locale", name=op.f("uq_property_translation_property_id")
        ),
    )


def downgrade():
    op.drop_table("property_translation")
    # In place on SQLite too: "property" carries the night triggers.
    op.execute("ALTER TABLE property DROP COLUMN locale")
