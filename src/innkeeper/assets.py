"""Static files under content-hashed names.

A page names `css/site.3f9a1c2b7e.css` rather than `css/site.css`: since a changed
file gets a new name, browsers and proxies may keep each one for a year. Text files
go out gzipped to clients that accept it. The plain names keep answering, with a short
lifetime, and so does a name whose hash is stale (a page cached before a release).
"""

import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")
COMPRESSIBLE = {".css", ".js", ".svg", ".ico", ".txt", ".json"}
YEAR = 365 * 24 * 3600
HOUR = 3600


@dataclass(frozen=True)
class Asset:
    version: tuple[int, int]  # the file's modification time (ns) and size
    digest: str
    body: bytes
    gzipped: bytes | None
    mimetype: str


class Assets:
    """The files under `folder`, read once per change and kept with their digest."""

    def __init__(self, folder: str | Path):
        self.folder = str(folder)
        self._files: dict[str, Asset] = {}

    def get(self, filename: str) -> Asset | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            status = Path(path).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        version = (status.st_mtime_ns, status.st_size)
        kept = self._files.get(filename)
        if kept is not None and kept.version == version:
            return kept
        if not Path(path).is_file():
            return None
        body = Path(path).read_bytes()
        gzipped = None
        if Path(filename).suffix.lower() in COMPRESSIBLE:
            gzipped = gzip.compress(body, 9, mtime=0)
            if len(gzipped) >= len(body):  # a tiny file gains nothing
                gzipped = None
        asset = Asset(
            version=version,
            digest=hashlib.sha256(body).hexdigest()[:10],
            body=body,
            gzipped=gzipped,
            mimetype=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        )
        self._files[filename] = asset
        return asset

    def hashed_name(self, filename: str) -> str:
        """`css/site.css` → `css/site.<digest>.css`; a missing file keeps its name."""
        asset = self.get(filename)
        if asset is None:
            return filename
        path = Path(filename)
        return str(path.with_name(f"{path.stem}.{asset.digest}{path.suffix}"))


def _assets() -> Assets:
    return current_app.extensions["innkeeper.assets"]


def serve_static(filename: str) -> Response:
    """A static file: for a year under its current hashed name, for an hour otherwise."""
    assets = _assets()
    asset, current = None, False
    if match := HASHED_NAME.match(filename):
        asset = assets.get(match["stem"] + match["suffix"])
        current = asset is not None and asset.digest == match["digest"]
    if asset is None:
        asset = assets.get(filename)
    if asset is None:
        abort(404)

    gzipped = asset.gzipped is not None and "gzip" in request.accept_encodings
    response = Response(asset.gzipped if gzipped else asset.body, mimetype=asset.mimetype)
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if gzipped:
        response.content_encoding = "gzip"
    response.set_etag(f"{asset.digest}-gz" if gzipped else asset.digest)
    response.cache_control.public = True
    response.cache_control.max_age = YEAR if current else HOUR
    if current:
        response.cache_control.immutable = True
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.extensions["innkeeper.assets"] = Assets(app.static_folder)
    app.view_functions["static"] = serve_static

    @app.url_defaults
    def hash_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = _assets().hashed_name(values["filename"])
