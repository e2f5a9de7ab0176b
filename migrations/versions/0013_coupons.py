"""coupons: codes for a percentage or an amount off, with their dates and counted uses

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-12 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coupon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("percent_off_millipercent", sa.Integer(), nullable=True),
        sa.Column("amount_off_minor", sa.Integer(), nullable=True),
        sa.Column("property_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(percent_off_millipercent IS NULL) <> (amount_off_minor IS NULL)",
            name=op.f("ck_coupon_percent_or_amount"),
        ),
        sa.CheckConstraint(
            "percent_off_millipercent IS NULL OR percent_off_millipercent BETWEEN 1000 AND 100000",
            name=op.f("ck_coupon_percent_in_range"),
        ),
        sa.CheckConstraint(
            "amount_off_minor IS NULL OR amount_off_minor > 0",
            name=op.f("ck_coupon_amount_positive"),
        ),
        sa.CheckConstraint(
            "amount_off_minor IS NULL OR property_id IS NOT NULL",
            name=op.f("ck_coupon_amount_names_a_place"),
        ),
        sa.CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until",
            name=op.f("ck_coupon_dates_in_order"),
        ),
        sa.CheckConstraint(
            "max_uses IS NULL OR max_uses >= 1", name=op.f("ck_coupon_max_uses_positive")
        ),
        sa.CheckConstraint(
            "uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)",
            name=op.f("ck_coupon_uses_counted"),
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_coupon_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon")),
        sa.UniqueConstraint("code", name=op.f("uq_coupon_code")),
    )
    op.create_index(op.f("ix_coupon_property_id"), "coupon", ["property_id"])


def downgrade():
    op.drop_index(op.f("ix_coupon_property_id"), table_name="coupon")
    op.drop_table("coupon")
