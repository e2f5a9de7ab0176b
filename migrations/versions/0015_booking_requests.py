"""booking requests: a place's booking mode; a reservation may be requested, declined or
expired, and a request has the moment it expires

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 09:00:00

SQLite cannot change a CHECK constraint in place, so "reservation" is copied in batch
mode (with foreign keys off, see env.py: its nights and mail stay); no trigger is on it.
The place's new column comes with its CHECK in one ALTER TABLE, which SQLite runs in
place: "property", which the night triggers update, is not copied.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

STATUS_CHECK = "ck_reservation_known_status"
STATUSES_BEFORE = "status IN ('confirmed', 'cancelled')"
STATUSES = "status IN ('requested', 'confirmed', 'cancelled', 'declined', 'expired')"
BOOKING_MODE_CHECK = "ck_property_known_booking_mode"
BOOKING_MODES = "booking_mode IN ('instant', 'request')"


def _replace_status_check(condition: str) -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(op.f(STATUS_CHECK), "reservation", type_="check")
        op.create_check_constraint(op.f(STATUS_CHECK), "reservation", condition)
        return
    with op.batch_alter_table("reservation", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f(STATUS_CHECK), type_="check")
        batch_op.create_check_constraint(op.f(STATUS_CHECK), condition)


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        op.add_column(
            "property",
            sa.Column(
                "booking_mode", sa.String(length=16), server_default="instant", nullable=False
            ),
        )
        op.create_check_constraint(op.f(BOOKING_MODE_CHECK), "property", BOOKING_MODES)
    else:
        op.execute(
            "ALTER TABLE property ADD COLUMN booking_mode VARCHAR(16) DEFAULT 'instant' NOT NULL"
            f" CONSTRAINT {BOOKING_MODE_CHECK} CHECK ({BOOKING_MODES})"
        )
    op.add_column("reservation", sa.Column("request_expires_at", sa.DateTime(), nullable=True))
    op.create_index("ix_reservation_request_expires_at", "reservation", ["request_expires_at"])
    _replace_status_check(STATUSES)


def downgrade():
    # Before requests, a reservation was confirmed or cancelled: a request still waiting
    # gives its nights back, and every request that was not accepted is cancelled.
    op.execute(
        "DELETE FROM night WHERE reservation_id IN"
        " (SELECT id FROM reservation WHERE status = 'requested')"
    )
    op.execute(
        "UPDATE reservation SET status = 'cancelled'"
        " WHERE status IN ('requested', 'declined', 'expired')"
    )
    _replace_status_check(STATUSES_BEFORE)
    op.drop_index("ix_reservation_request_expires_at", table_name="reservation")
    op.execute("ALTER TABLE reservation DROP COLUMN request_expires_at")
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(op.f(BOOKING_MODE_CHECK), "property", type_="check")
    op.execute("ALTER TABLE property DROP COLUMN booking_mode")
