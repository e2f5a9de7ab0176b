"""prices and rules per place: discounts, extra guests, taxes, notice, horizon, preparation;
seasons, with one row per night so that a place's seasons never overlap

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PLACE_COLUMNS = [
    sa.Column("weekly_discount_millipercent", sa.Integer(), server_default="0", nullable=False),
    sa.Column("monthly_discount_millipercent", sa.Integer(), server_default="0", nullable=False),
    sa.Column("guests_included", sa.Integer(), server_default="2", nullable=False),
    sa.Column("extra_guest_fee_minor", sa.Integer(), server_default="0", nullable=False),
    sa.Column("tax_millipercent", sa.Integer(), server_default="0", nullable=False),
    sa.Column("tourist_tax_minor", sa.Integer(), server_default="0", nullable=False),
    sa.Column("advance_notice_days", sa.Integer(), server_default="0", nullable=False),
    sa.Column("booking_horizon_days", sa.Integer(), server_default="365", nullable=False),
    sa.Column("preparation_days", sa.Integer(), server_default="0", nullable=False),
]


def upgrade():
    for column in PLACE_COLUMNS:
        op.add_column("property", column)
    op.create_table(
        "season",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("nightly_rate_minor", sa.Integer(), nullable=False),
        sa.Column("weekend_rate_minor", sa.Integer(), nullable=False),
        sa.Column("min_nights", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("start_date < end_date", name=op.f("ck_season_dates_in_order")),
        sa.CheckConstraint(
            "nightly_rate_minor >= 0", name=op.f("ck_season_nightly_rate_not_negative")
        ),
        sa.CheckConstraint(
            "weekend_rate_minor >= 0", name=op.f("ck_season_weekend_rate_not_negative")
        ),
        sa.CheckConstraint(
            "min_nights IS NULL OR min_nights >= 1", name=op.f("ck_season_min_nights_positive")
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_season_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season")),
    )
    op.create_index(op.f("ix_season_property_id"), "season", ["property_id"])
    op.create_table(
        "season_night",
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_season_night_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["season.id"],
            name=op.f("fk_season_night_season_id_season"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("property_id", "night", name=op.f("pk_season_night")),
    )
    op.create_index(op.f("ix_season_night_season_id"), "season_night", ["season_id"])


def downgrade():
    op.drop_table("season_night")
    op.drop_table("season")
    for column in reversed(PLACE_COLUMNS):
        op.execute(f"ALTER TABLE property DROP COLUMN {column.name}")
