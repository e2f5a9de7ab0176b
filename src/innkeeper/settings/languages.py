"""The language each request is answered in, and a guest's choice of it, remembered.

In order: `?lang=` on any URL (remembered in a cookie); on host pages, the signed-in
host's own language; the cookie; the browser's Accept-Language; the site's language.
"""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Flask, Response, has_request_context, request

from ..host.auth import current_host
from ..locales import DEFAULT, SUPPORTED, best_accepted, language_name, supported
from ..security import set_lasting_cookie
from .services import site_settings

COOKIE = "lang"
CHOICE_LIFETIME = timedelta(days=365)
# A guest's details never go into a link, even one that came with them.
PRIVATE_ARGS = {"name", "email", "phone", "message"}


def site_locale() -> str:
    return supported(site_settings().default_locale) or DEFAULT


def _chosen_here() -> str | None:
    return supported(request.args.get("lang"))


def _on_host_pages() -> bool:
    return request.path == "/host" or request.path.startswith("/host/")


def select_locale() -> str:
    """Flask-Babel's locale selector; outside a request (the worker), the site's language."""
    if not has_request_context():
        return site_locale()
    if chosen := _chosen_here():
        return chosen
    if _on_host_pages() and (host := current_host()) is not None and host.locale:
        return host.locale
    return (
        supported(request.cookies.get(COOKIE))
        or best_accepted(request.accept_languages)
        or site_locale()
    )


def _remember_choice(response: Response) -> Response:
    if (chosen := _chosen_here()) and request.cookies.get(COOKIE) != chosen:
        set_lasting_cookie(response, COOKIE, chosen, CHOICE_LIFETIME)
    if response.mimetype == "text/html":
        # The words of a page follow these headers: a cache keeps one copy per language.
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def _this_page() -> tuple[str, list[tuple[str, str]]]:
    """The path and query args of the page shown; after a POST, of the page it came from."""
    if request.method == "GET":
        return request.path, list(request.args.items(multi=True))
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc != request.host or not came_from.path.startswith("/"):
        return "/", []
    return came_from.path, parse_qsl(came_from.query, keep_blank_values=True)


def language_links() -> list[dict]:
    """The switcher: this page in each language, named in that language."""
    path, args = _this_page()
    others = [(name, value) for name, value in args if name not in {"lang", *PRIVATE_ARGS}]
    return [
        {
            "code": code,
            "name": language_name(code),
            "url": f"{path}?{urlencode([*others, ('lang', code)])}",
        }
        for code in SUPPORTED
    ]


def init_app(app: Flask) -> None:
    app.after_request(_remember_choice)
    app.jinja_env.globals["language_links"] = language_links
