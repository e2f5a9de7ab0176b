"""Serving the stored photo files."""

import re

from flask import Blueprint, abort, send_from_directory

from ..web import external_url
from .models import FORMATS, Photo
from .services import photo_folder

bp = Blueprint("photos", __name__)

# What _write_files names a file; anything else (a path, a dot file, a draft) is not served.
FILE_NAME = re.compile(r"[0-9a-f]{32}-[0-9]{1,5}w\.(?P<ext>webp|jpg)")
YEAR = 365 * 24 * 3600


@bp.app_template_filter("share_url")
def share_url(photo: Photo) -> str:
    """The photo's address for other sites (link previews, search engines): its widest JPEG."""
    if photo.key is None:
        return external_url("static", filename=photo.static_src)
    return external_url("photos.file", name=photo.file_name(photo.widths[-1], "jpg"))


@bp.get("/photos/<name>")
def file(name: str):
    """A photo file; its name is never reused for other content, so caches keep it a year."""
    match = FILE_NAME.fullmatch(name)
    if match is None:
        abort(404)
    response = send_from_directory(photo_folder(), name, mimetype=FORMATS[match["ext"]])
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
