from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..properties.models import Property

# The widths a photo is stored at, when it is at least that wide: it is never enlarged.
WIDTHS = (480, 960, 1600)
# The formats each width is stored in: WebP for browsers that take it, JPEG for the rest.
FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}
ALT_MAX_LENGTH = 200


def widths_for(width: int) -> list[int]:
    """The stored widths of a photo `width` pixels wide: the standard ones below it, and its own
    width when that is below the largest."""
    below = [w for w in WIDTHS if w < width]
    return below if width > WIDTHS[-1] else [*below, width]


class Photo(db.Model):
    """A picture of a place, in the host's order.

    An uploaded photo is stored as files named `<key>-<width>w.<ext>`, and so are the
    demo's drawings; a picture shipped in the static folder (`static_src`, as earlier
    demos made them) is shown as it is.
    """

    __table_args__ = (
        CheckConstraint("(key IS NULL) <> (static_src IS NULL)", name="stored_or_static"),
        CheckConstraint("width > 0 AND height > 0", name="has_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(
        ForeignKey("property.id", ondelete="CASCADE"), index=True
    )
    # Lower first; ties (two uploads at once) fall back to the order they came in.
    position: Mapped[int] = mapped_column(default=0)
    alt: Mapped[str] = mapped_column(String(ALT_MAX_LENGTH))
    # Random, so a file name reveals nothing and never changes: served as immutable.
    key: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The widths stored; kept, so a later change of WIDTHS leaves older photos whole.
    widths: Mapped[list[int]] = mapped_column(JSON, default=list)
    # A path under the static folder ("photos/seashell-house.svg").
    static_src: Mapped[str | None] = mapped_column(String(200))
    # Of the original, once turned upright.
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    place: Mapped[Property] = relationship(
        backref=backref(
            "photos",
            order_by=lambda: (Photo.position, Photo.id),
            cascade="all, delete-orphan",
            passive_deletes=True,
        )
    )

    def file_name(self, width: int, ext: str) -> str:
        return f"{self.key}-{width}w.{ext}"

    def file_names(self) -> list[str]:
        """Every file stored for this photo (none for a static one)."""
        if self.key is None:
            return []
        return [self.file_name(w, ext) for w in self.widths for ext in FORMATS]

    def __repr__(self) -> str:
        return f"<Photo {self.id} of property {self.property_id}>"
