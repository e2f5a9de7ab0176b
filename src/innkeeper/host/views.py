import time
from datetime import timedelta

from flask import Blueprint, abort, g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..calendars.services import list_feeds
from ..database import utcnow
from ..extensions import db, limiter
from ..mail.models import OutboxMessage
from ..reservations.models import Reservation
from ..web import page_or_fragment
from .forms import LoginForm
from .models import Host
from .services import authenticate

bp = Blueprint("host", __name__, url_prefix="/host")


PUBLIC_ENDPOINTS = {"host.login"}
FAILED_LOGIN_PAUSE_SECONDS = 0.5


@bp.before_request
def require_host():
    """Every host page but the login needs a signed-in host; others go to the login."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    host_id = session.get("host_id")
    g.host = db.session.get(Host, host_id) if host_id else None
    if g.host is None:
        return redirect(url_for("host.login", next=request.path))
    return None


def _login_failed(response) -> bool:
    return request.method == "POST" and response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"], deduct_when=_login_failed)
def login():
    """Sign a host in; failed attempts from one address are refused after a few tries."""
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return page_or_fragment("host/login.html", "content", status, form=form)
    host = authenticate(form.email.data, form.password.data)
    if host is None:
        # Every failed guess costs the guesser time; the limiter then refuses them.
        time.sleep(FAILED_LOGIN_PAUSE_SECONDS)
        form.password.errors = [_("That e-mail and password do not match an account.")]
        return page_or_fragment("host/login.html", "content", 422, form=form)
    session.clear()
    session["host_id"] = host.id
    next_url = request.args.get("next", "")
    if not next_url.startswith("/host/"):
        next_url = url_for("host.dashboard")
    return redirect(next_url, 303)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("host.login"), 303)


@bp.after_request
def keep_private(response):
    """Host pages show guests' details: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def dashboard():
    """Stays not yet over, soonest first; the latest outgoing mail; other sites' calendars."""
    # A day's margin: the properties' own dates may be behind UTC's.
    since = utcnow().date() - timedelta(days=1)
    reservations = db.session.scalars(
        select(Reservation)
        .options(joinedload(Reservation.property))
        .where(Reservation.check_out >= since)
        .order_by(Reservation.check_in, Reservation.id)
        .limit(200)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    return page_or_fragment(
        "host/dashboard.html",
        "content",
        reservations=reservations,
        messages=messages,
        feeds=list_feeds(),
    )


@bp.get("/mail/<int:message_id>")
def mail_message(message_id: int):
    """One outgoing message as the guest or host receives it (captured or sent)."""
    message = db.get_or_404(OutboxMessage, message_id)
    return page_or_fragment("host/mail_message.html", "content", message=message)


@bp.get("/<path:path>")
def unknown(path: str):
    """Unknown host pages are 404 only for a signed-in host; others are sent to the login."""
    abort(404)
