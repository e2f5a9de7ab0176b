"""Rendering helpers shared by the blueprints: page or fragment, and absolute links."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, current_app, make_response, redirect, render_template, request
from flask.typing import ResponseReturnValue


def wants_fragment() -> bool:
    """htmx asked for a piece of the page (not a boosted navigation or a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_block(template_name: str, block: str, **context) -> str:
    """Render one `{% block %}` of a template with the same context the page would get."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(template_name)
    app.update_template_context(context)
    return "".join(template.blocks[block](template.new_context(context)))


def page_or_fragment(
    template_name: str, block: str, status: int = 200, **context
) -> ResponseReturnValue:
    """The full page, or only `block` of it when htmx asks; the markup lives once."""
    if wants_fragment():
        body = render_block(template_name, block, **context)
    else:
        body = render_template(template_name, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def see_other(url: str) -> Response:
    """303 to `url` after a change; htmx gets 200 with HX-Redirect and loads the page itself."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def no_store(response: Response) -> Response:
    """A page with private details (a guest's stay, the host's pages): no cache keeps it."""
    response.headers["Cache-Control"] = "no-store"
    return response


def external_url(endpoint: str, **values) -> str:
    """An absolute URL under BASE_URL, for mail and feeds; works outside a request.

    `_anchor`, as with url_for, names a part of the page.
    """
    anchor = values.pop("_anchor", None)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def site_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


class FragmentCache:
    """A small per-process LRU of rendered fragments, keyed by everything they show.

    `revision` digests the templates, so ETags change when a release changes markup.
    """

    def __init__(self, size: int, templates: Path):
        digest = hashlib.sha256()
        for path in sorted(templates.rglob("*.html")):
            digest.update(path.read_bytes())
        self.revision = digest.hexdigest()[:16]
        self._size = size
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: str) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
