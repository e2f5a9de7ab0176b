"""photos of a place as rows, uploaded or shipped with the site

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-09 10:40:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# What the property page has shown pictures from property.photos at, until now.
STATIC_WIDTH, STATIC_HEIGHT = 640, 400

place = sa.table("property", sa.column("id", sa.Integer), sa.column("photos", sa.JSON))
photo = sa.table(
    "photo",
    sa.column("property_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("alt", sa.String),
    sa.column("static_src", sa.String),
    sa.column("widths", sa.JSON),
    sa.column("width", sa.Integer),
    sa.column("height", sa.Integer),
    sa.column("created_at", sa.DateTime),
)


def upgrade():
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=True),
        sa.Column("widths", sa.JSON(), nullable=False),
        sa.Column("static_src", sa.String(length=200), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(key IS NULL) <> (static_src IS NULL)", name=op.f("ck_photo_stored_or_static")
        ),
        sa.CheckConstraint("width > 0 AND height > 0", name=op.f("ck_photo_has_size")),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["property.id"],
            name=op.f("fk_photo_property_id_property"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
        sa.UniqueConstraint("key", name=op.f("uq_photo_key")),
    )
    op.create_index(op.f("ix_photo_property_id"), "photo", ["property_id"])

    # The pictures listed in property.photos become rows, in the same order.
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for property_id, listed in op.get_bind().execute(sa.select(place.c.id, place.c.photos)):
        for position, picture in enumerate(listed or []):
            rows.append(
                {
                    "property_id": property_id,
                    "position": position,
                    "alt": (picture.get("alt") or "")[:200],
                    "static_src": picture["src"][:200],
                    "widths": [],
                    "width": STATIC_WIDTH,
                    "height": STATIC_HEIGHT,
                    "created_at": now,
                }
            )
    if rows:
        op.bulk_insert(photo, rows)
    op.execute("ALTER TABLE property DROP COLUMN photos")


def downgrade():
    # Pictures shipped with the site go back into property.photos; uploaded ones have no
    # place there and are dropped (their files stay in the instance folder).
    op.add_column("property", sa.Column("photos", sa.JSON(), server_default="[]", nullable=False))
    listed: dict[int, list] = {}
    for property_id, src, alt in op.get_bind().execute(
        sa.text(
            "SELECT property_id, static_src, alt FROM photo WHERE static_src IS NOT NULL"
            " ORDER BY property_id, position, id"
        )
    ):
        listed.setdefault(property_id, []).append({"src": src, "alt": alt})
    for property_id, photos in listed.items():
        op.execute(place.update().where(place.c.id == property_id).values(photos=photos))
    op.drop_index(op.f("ix_photo_property_id"), table_name="photo")
    op.drop_table("photo")
