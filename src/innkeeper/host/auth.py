"""Signing hosts in and out, and the guard every host page and action stands behind.

A signed-in browser's session cookie carries only a random token; the host_session table
keeps its hash. Signing out, a new password or "sign out everywhere" deletes the row, which
ends that session for good, and a session ends by itself once idle for
HOST_SESSION_IDLE_MINUTES or HOST_SESSION_MAX_HOURS after signing in.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import (
    current_app,
    g,
    has_request_context,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from ..clock import utcnow
from ..database import write_transaction
from ..extensions import db
from ..security import set_lasting_cookie
from ..web import no_store
from .models import Host, HostSession, normalise_email

SESSION_KEY = "host_session"
# How stale last_seen_at may grow before a request writes it again.
TOUCH_EVERY = timedelta(minutes=1)
# How long a browser is remembered as one the host has signed in from (see known_device).
DEVICE_LIFETIME = timedelta(days=90)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_limits() -> tuple[timedelta, timedelta]:
    """How long a session may stay idle, and how long it may last at all."""
    config = current_app.config
    return (
        timedelta(minutes=config["HOST_SESSION_IDLE_MINUTES"]),
        timedelta(hours=config["HOST_SESSION_MAX_HOURS"]),
    )


def current_session() -> HostSession | None:
    """The host session this request comes with, if it is still open; None outside a request."""
    if not has_request_context():
        return None
    if "host_session" not in g:
        g.host_session = _open_session(session.get(SESSION_KEY))
    return g.host_session


def _open_session(token) -> HostSession | None:
    if not isinstance(token, str):
        return None
    moment = utcnow()
    found = db.session.scalar(
        select(HostSession)
        .options(joinedload(HostSession.host))
        .where(HostSession.token_hash == token_digest(token))
        .where(HostSession.open_at(moment, *session_limits()))
    )
    if found is not None and moment - found.last_seen_at >= TOUCH_EVERY:
        # A connection of its own, so the request's transaction is left as it was.
        connection = db.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
        with connection, connection.begin():
            connection.execute(
                update(HostSession.__table__)
                .where(HostSession.id == found.id)
                .values(last_seen_at=moment)
            )
    return found


def current_host() -> Host | None:
    """The host signed in on this request, if any."""
    open_session = current_session()
    return open_session.host if open_session else None


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
    """Open a new session for `host` and give this browser its token."""
    token = secrets.token_urlsafe(32)
    with write_transaction() as db_session:
        opened = HostSession(token_hash=token_digest(token), host=host)
        db_session.add(opened)
    session.clear()
    session[SESSION_KEY] = token
    g.host_session = opened


def sign_out() -> None:
    """End this browser's session, on the server as well as in the cookie."""
    token = session.get(SESSION_KEY)
    if isinstance(token, str):
        with write_transaction() as db_session:
            db_session.execute(
                delete(HostSession).where(HostSession.token_hash == token_digest(token))
            )
    session.clear()
    g.host_session = None


# --- browsers an account has signed in from ------------------------------------------------
#
# Failed sign-ins are counted per account as well as per address, so that many addresses
# cannot guess one password for long; but then a stranger could keep the host out. A
# browser the account has signed in from before carries a signed cookie naming it, and
# its attempts on that account are counted apart from everyone else's.


def account_key(email: str) -> str:
    """What failed sign-ins for an address are counted under, whether or not the account
    exists; a hash, so that the counters hold no address."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


def _device_cookie_name() -> str:
    return "__Host-host_device" if current_app.config["SESSION_COOKIE_SECURE"] else "host_device"


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="innkeeper.host-device")


def known_device(account: str) -> str | None:
    """This browser's id, if the account has signed in from it within DEVICE_LIFETIME."""
    value = request.cookies.get(_device_cookie_name())
    if not value:
        return None
    try:
        remembered, device = _device_serializer().loads(
            value, max_age=DEVICE_LIFETIME.total_seconds()
        )
    except (BadData, ValueError, TypeError):
        return None
    return device if remembered == account else None


def remember_device(response, email: str) -> None:
    """Mark this browser as one `email` has signed in from."""
    value = _device_serializer().dumps([account_key(email), secrets.token_urlsafe(16)])
    set_lasting_cookie(response, _device_cookie_name(), value, DEVICE_LIFETIME)
