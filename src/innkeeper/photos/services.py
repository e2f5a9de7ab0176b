"""The host's photos of a place: adding, describing, ordering, deleting; where the files live."""

import logging
import os
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..activity.models import ACTIONS
from ..activity.services import record
from ..database import write_transaction
from ..exceptions import NotFound
from ..extensions import db
from ..properties.models import Property
from ..submissions import claim
from .images import prepare, read_limited
from .models import Photo

ACTIONS.update(
    {
        "photo.added": _l("added a photo to"),
        "photo.described": _l("changed the description of a photo of"),
        "photo.moved": _l("moved a photo of"),
        "photo.deleted": _l("deleted a photo of"),
    }
)

log = logging.getLogger(__name__)


def photo_folder() -> Path:
    """Where uploaded photos are stored: the instance folder, never the code."""
    return Path(current_app.instance_path) / "photos"


def _write_files(key: str, files: dict[tuple[int, str], bytes]) -> list[Path]:
    """Write each file aside and move it into place, so none is ever served half-written."""
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for (width, ext), data in files.items():
        path = folder / f"{key}-{width}w.{ext}"
        draft = folder / f".{path.name}.part"
        try:
            draft.write_bytes(data)
            os.replace(draft, path)
        except BaseException:
            _remove([draft, *written])
            raise
        written.append(path)
    return written


def _remove(paths) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            # The row is gone; a file left over is only disk space, not an error to show.
            log.warning("could not remove photo file %s: %s", path, error)


def get_photo(prop: Property, photo_id: int) -> Photo:
    photo = db.session.scalar(select(Photo).filter_by(id=photo_id, property_id=prop.id))
    if photo is None:
        raise NotFound("photo_unknown")
    return photo


def stored_photo(data: bytes, alt: str, position: int) -> Photo:
    """A picture read, resized and written as an upload is, as a Photo for the caller to add
    to a place in its own transaction."""
    prepared = prepare(data)
    key = secrets.token_hex(16)
    _write_files(key, prepared.files)
    return Photo(
        position=position,
        alt=alt,
        key=key,
        widths=sorted({width for width, _ in prepared.files}),
        width=prepared.width,
        height=prepared.height,
    )


def add_photo(prop: Property, upload, alt: str, *, submission_key: str | None = None) -> Photo:
    """Check the uploaded file by its content, store it re-encoded, and show it last.

    Nothing is stored when the picture is refused (InvalidFields on "photo"), and the
    files are removed again when the row cannot be written.
    """
    prepared = prepare(read_limited(upload))
    key = secrets.token_hex(16)
    written = _write_files(key, prepared.files)
    try:
        with write_transaction() as session:
            last = session.scalar(
                select(func.max(Photo.position)).where(Photo.property_id == prop.id)
            )
            photo = Photo(
                property_id=prop.id,
                position=0 if last is None else last + 1,
                alt=alt,
                key=key,
                widths=sorted({width for width, _ in prepared.files}),
                width=prepared.width,
                height=prepared.height,
            )
            session.add(photo)
            session.flush()
            claim(submission_key, str(photo.id))
            record("photo.added", prop.name, property_id=prop.id, changes={"alt": [None, alt]})
    except BaseException:
        db.session.rollback()
        _remove(written)
        raise
    return photo


def describe_photo(photo: Photo, alt: str) -> bool:
    """Change what the photo is described as to guests who cannot see it; False if unchanged."""
    with write_transaction():
        if photo.alt == alt:
            return False
        before, photo.alt = photo.alt, alt
        record(
            "photo.described",
            photo.place.name,
            property_id=photo.property_id,
            changes={"alt": [before, alt]},
        )
    return True


def move_photo(photo: Photo, step: int) -> bool:
    """Move the photo one place earlier (-1) or later (+1); False at either end."""
    with write_transaction() as session:
        order = list(
            session.scalars(
                select(Photo)
                .filter_by(property_id=photo.property_id)
                .order_by(Photo.position, Photo.id)
            )
        )
        here = order.index(photo)
        there = here + step
        if not 0 <= there < len(order):
            return False
        order[here], order[there] = order[there], order[here]
        # Numbered afresh: gaps left by deletions and ties from uploads at once go away.
        for position, each in enumerate(order):
            each.position = position
        record(
            "photo.moved",
            photo.place.name,
            property_id=photo.property_id,
            changes={"photo": [None, photo.alt], "position": [str(here + 1), str(there + 1)]},
        )
    return True


def delete_photo(photo: Photo) -> None:
    """Remove the photo from the place; its files go once the change is committed."""
    paths = [photo_folder() / name for name in photo.file_names()]
    with write_transaction() as session:
        record(
            "photo.deleted",
            photo.place.name,
            property_id=photo.property_id,
            changes={"photo": [None, photo.alt]},
        )
        session.delete(photo)
    _remove(paths)
