"""payment and cancellation terms per place, kept by each reservation; payments and refunds

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-12 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def terms():
    """The terms' columns; stays booked before them were due in full at booking."""
    return [
        sa.Column("deposit_percent", sa.Integer(), server_default="100", nullable=False),
        sa.Column("balance_due_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column("free_cancellation_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column("late_refund_percent", sa.Integer(), server_default="0", nullable=False),
    ]


RESERVATION_COLUMNS = [
    sa.Column("refund_owed_minor", sa.Integer(), nullable=True),
    sa.Column("balance_reminder_queued_at", sa.DateTime(), nullable=True),
]


def upgrade():
    for column in terms():
        op.add_column("property", column)
    for column in [*terms(), *RESERVATION_COLUMNS]:
        op.add_column("reservation", column)
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=True),
        sa.Column("provider_event_id", sa.String(length=255), nullable=True),
        sa.Column("provider_session_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount_minor <> 0", name=op.f("ck_payment_amount_not_zero")),
        sa.CheckConstraint(
            "method IN ('cash', 'transfer', 'card', 'other')", name=op.f("ck_payment_known_method")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["host.id"], name=op.f("fk_payment_host_id_host"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservation.id"],
            name=op.f("fk_payment_reservation_id_reservation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("provider_event_id", name=op.f("uq_payment_provider_event_id")),
        sa.UniqueConstraint("provider_session_id", name=op.f("uq_payment_provider_session_id")),
    )
    op.create_index(op.f("ix_payment_reservation_id"), "payment", ["reservation_id"])


def downgrade():
    op.drop_table("payment")
    for column in reversed([*terms(), *RESERVATION_COLUMNS]):
        op.execute(f"ALTER TABLE reservation DROP COLUMN {column.name}")
    for column in reversed(terms()):
        op.execute(f"ALTER TABLE property DROP COLUMN {column.name}")
