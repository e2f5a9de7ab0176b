"""money in minor units, typed price lines, reservation locale, feed errors as codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:20:00

Amount columns are renamed from *_cents to *_minor (yen have no cents). A reservation's
price lines become typed lines, [{"kind", "quantity", "unit_minor", "amount_minor"}], as
the pricing code writes them; the totals they replace are dropped. A feed's last error
and conflicts were English sentences: they are cleared, and the next sync records them
again as codes the pages render in each reader's language.

Plain ALTER TABLE statements, which SQLite (3.35 and later) and PostgreSQL both run in
place: no table is copied, so the triggers on "night" stay as they are.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RENAMED = {
    "property": ["nightly_rate", "weekend_rate", "cleaning_fee"],
    "reservation": ["total"],
}

reservation = sa.table(
    "reservation",
    sa.column("id", sa.Integer),
    sa.column("price_lines", sa.JSON),
    sa.column("cleaning_fee_cents", sa.Integer),
    sa.column("nights_total_cents", sa.Integer),
)


def _lines_by_kind(nightly: list[dict], cleaning_fee: int) -> list[dict]:
    """Per-night prices [{"night", "cents"}] as lines of nights at each rate, then the fee."""
    counts: dict[int, int] = {}
    for night in nightly:
        counts[night["cents"]] = counts.get(night["cents"], 0) + 1
    lines = [
        {"kind": "nights", "quantity": n, "unit_minor": rate, "amount_minor": rate * n}
        for rate, n in counts.items()
    ]
    if cleaning_fee:
        lines.append(
            {
                "kind": "cleaning_fee",
                "quantity": 1,
                "unit_minor": None,
                "amount_minor": cleaning_fee,
            }
        )
    return lines


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value


def upgrade():
    for table, columns in RENAMED.items():
        for name in columns:
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {name}_cents TO {name}_minor")

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(reservation.c.id, reservation.c.price_lines, reservation.c.cleaning_fee_cents)
    ).all()
    for row in rows:
        lines = _lines_by_kind(_loaded(row.price_lines), row.cleaning_fee_cents)
        connection.execute(
            reservation.update().where(reservation.c.id == row.id).values(price_lines=lines)
        )
    op.execute("ALTER TABLE reservation DROP COLUMN nights_total_cents")
    op.execute("ALTER TABLE reservation DROP COLUMN cleaning_fee_cents")
    op.add_column(
        "reservation",
        sa.Column("locale", sa.String(length=16), nullable=False, server_default="en"),
    )
    op.add_column("reservation", sa.Column("cancelled_by", sa.String(length=16), nullable=True))
    # Cancellations so far were all the guest's own.
    op.execute("UPDATE reservation SET cancelled_by = 'guest' WHERE status = 'cancelled'")

    op.execute("ALTER TABLE calendar_feed DROP COLUMN last_error")
    op.execute("ALTER TABLE calendar_feed DROP COLUMN conflicts")
    op.add_column("calendar_feed", sa.Column("error", sa.JSON(), nullable=True))
    op.add_column(
        "calendar_feed",
        sa.Column("conflicts", sa.JSON(), nullable=False, server_default="[]"),
    )


def downgrade():
    op.execute("ALTER TABLE calendar_feed DROP COLUMN conflicts")
    op.execute("ALTER TABLE calendar_feed DROP COLUMN error")
    op.add_column(
        "calendar_feed", sa.Column("conflicts", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "calendar_feed", sa.Column("last_error", sa.Text(), nullable=False, server_default="")
    )

    op.execute("ALTER TABLE reservation DROP COLUMN cancelled_by")
    op.execute("ALTER TABLE reservation DROP COLUMN locale")
    op.add_column(
        "reservation",
        sa.Column("cleaning_fee_cents", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "reservation",
        sa.Column("nights_total_cents", sa.Integer(), nullable=False, server_default="0"),
    )
    # Per-night prices cannot be rebuilt from lines: each night gets its line's rate.
    connection = op.get_bind()
    rows = connection.execute(sa.select(reservation.c.id, reservation.c.price_lines)).all()
    for row in rows:
        lines = _loaded(row.price_lines)
        fee = sum(line["amount_minor"] for line in lines if line["kind"] == "cleaning_fee")
        nightly = [
            {"night": None, "cents": line["unit_minor"]}
            for line in lines
            if line["kind"] == "nights"
            for _ in range(line["quantity"])
        ]
        connection.execute(
            reservation.update()
            .where(reservation.c.id == row.id)
            .values(
                price_lines=nightly,
                cleaning_fee_cents=fee,
                nights_total_cents=sum(n["cents"] for n in nightly),
            )
        )
    for table, columns in RENAMED.items():
        for name in columns:
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {name}_minor TO {name}_cents")
