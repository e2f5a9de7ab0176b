"""units: a place may be part of another (the rooms of an inn), one level deep

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-20 09:00:00

Every place before it stands on its own (parent_id NULL). SQLite adds the column with its
foreign key and CHECK in one ALTER TABLE, run in place, so "property", which the night
triggers update, is not copied; it drops them with the column the same way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_property_parent_id_property"
NOT_ITS_OWN = "ck_property_not_its_own_unit"
NOT_ITS_OWN_CONDITION = "parent_id IS NULL OR parent_id <> id"
INDEX = "ix_property_parent_id"


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        op.add_column("property", sa.Column("parent_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(FOREIGN_KEY), "property", "property", ["parent_id"], ["id"])
        op.create_check_constraint(op.f(NOT_ITS_OWN), "property", NOT_ITS_OWN_CONDITION)
    else:
        op.execute(
            "ALTER TABLE property ADD COLUMN parent_id INTEGER"
            f" CONSTRAINT {FOREIGN_KEY} REFERENCES property (id)"
            f" CONSTRAINT {NOT_ITS_OWN} CHECK ({NOT_ITS_OWN_CONDITION})"
        )
    op.create_index(op.f(INDEX), "property", ["parent_id"])


def downgrade():
    # Before units every place stood on its own: the units stay, as places of their own.
    op.drop_index(op.f(INDEX), table_name="property")
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(op.f(NOT_ITS_OWN), "property", type_="check")
        op.drop_constraint(op.f(FOREIGN_KEY), "property", type_="foreignkey")
    op.execute("ALTER TABLE property DROP COLUMN parent_id")
