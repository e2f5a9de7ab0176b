"""what hosts tell guests about a place; the activity log; one-time form keys

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:25:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PLACE_COLUMNS = [
    sa.Column("area", sa.String(length=200), server_default="", nullable=False),
    sa.Column("address", sa.Text(), server_default="", nullable=False),
    sa.Column("amenities", sa.JSON(), server_default="[]", nullable=False),
    sa.Column("amenities_note", sa.Text(), server_default="", nullable=False),
    sa.Column("house_rules", sa.Text(), server_default="", nullable=False),
    sa.Column("check_in_time", sa.Time(), server_default="15:00:00", nullable=False),
    sa.Column("check_out_time", sa.Time(), server_default="11:00:00", nullable=False),
    sa.Column("host_contact", sa.Text(), server_default="", nullable=False),
    sa.Column("deleted_at", sa.DateTime(), nullable=True),
]


def upgrade():
    for column in PLACE_COLUMNS:
        op.add_column("property", column)
    op.create_table(
        "former_slug",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_former_slug_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_former_slug")),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=True),
        sa.Column("reservation_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["host.id"], name=op.f("fk_activity_host_id_host"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_activity_property_id_property"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_activity_reservation_id_reservation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index(op.f("ix_activity_at"), "activity", ["at"])
    op.create_index(op.f("ix_activity_property_id"), "activity", ["property_id"])
    op.create_index(op.f("ix_activity_reservation_id"), "activity", ["reservation_id"])
    op.create_table(
        "form_submission",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_submission")),
    )


def downgrade():
    op.drop_table("form_submission")
    op.drop_table("activity")
    op.drop_table("former_slug")
    for column in reversed(PLACE_COLUMNS):
        op.execute(f"ALTER TABLE property DROP COLUMN {column.name}")
