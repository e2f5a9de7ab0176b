"""Signing hosts in and out, and the guard every host page and action stands behind."""

from functools import wraps

from flask import g, make_response, redirect, request, session, url_for

from ..extensions import db
from ..web import no_store
from .models import Host


def current_host() -> Host | None:
    """The host signed in on this request, if any."""
    if "host" not in g:
        host_id = session.get("host_id")
        g.host = db.session.get(Host, host_id) if host_id else None
    return g.host


def host_required(view):
    """Run the view for a signed-in host; send anyone else to the login, changing nothing.

    Host pages show guests' details: no cache may keep the answer.
    """

    @wraps(view)
    def guarded(*args, **kwargs):
        if current_host() is None:
            return redirect(url_for("host.login", next=request.path))
        return no_store(make_response(view(*args, **kwargs)))

    return guarded


def sign_in(host: Host) -> None:
    session.clear()
    session["host_id"] = host.id
    g.host = host


def sign_out() -> None:
    session.clear()
    g.host = None
