from datetime import timedelta

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _

from ..clock import now
from ..extensions import limiter
from ..web import no_store, page_or_fragment
from .auth import (
    account_key,
    current_host,
    host_required,
    known_device,
    remember_device,
    sign_in,
    sign_out,
)
from .forms import LoginForm
from .services import authenticate, end_sessions

bp = Blueprint("host", __name__, url_prefix="/host")


# Failed sign-ins allowed, per client address and per account (README, "The host side").
# Past the first limit of each pair the next attempt waits for the minute to end; past
# the second it is refused until the hour is over.
ADDRESS_LIMITS = "5 per minute;20 per hour"
ACCOUNT_LIMITS = "10 per minute;30 per hour"


def _login_failed(response) -> bool:
    """A password was tried and was wrong (a refused attempt tried none, and is not counted)."""
    return request.method == "POST" and response.status_code not in (303, 429)


def _account_attempts() -> str:
    """The counter of the account asked for; a browser it signed in from has one of its own."""
    account = account_key(request.form.get("email", ""))
    device = known_device(account)
    return f"account:{account}:{device}" if device else f"account:{account}"


def _when_to_try_again() -> str:
    seconds = limiter.current_limit.reset_at - now().timestamp() if limiter.current_limit else 60
    wait = format_timedelta(timedelta(seconds=max(seconds, 1)), add_direction=True)
    return _("Too many failed sign-ins. Please try again %(wait)s.", wait=wait)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    ADDRESS_LIMITS, methods=["POST"], deduct_when=_login_failed, error_message=_when_to_try_again
)
@limiter.limit(
    ACCOUNT_LIMITS,
    key_func=_account_attempts,
    methods=["POST"],
    deduct_when=_login_failed,
    error_message=_when_to_try_again,
)
def login():
    """Sign a host in; failed attempts are refused for a while, per address and per account."""
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return page_or_fragment("host/login.html", "content", status, form=form)
    host = authenticate(form.email.data, form.password.data)
    if host is None:
        form.password.errors = [_("That e-mail and password do not match an account.")]
        return page_or_fragment("host/login.html", "content", 422, form=form)
    sign_in(host)
    next_url = request.args.get("next", "")
    # Only a page of the host area, and only a plain path: no other site, no header tricks.
    if not next_url.startswith("/host/") or not next_url.isprintable() or "\\" in next_url:
        next_url = url_for("dashboard.show")
    response = redirect(next_url, 303)
    remember_device(response, host.email)
    return response


@bp.post("/logout")
def logout():
    """End the host's session."""
    sign_out()
    return redirect(url_for("host.login"), 303)


@bp.post("/sessions/end-all")
@host_required
def end_all_sessions():
    """Sign the host out of every browser, this one included."""
    end_sessions(current_host())
    sign_out()
    return redirect(url_for("host.login"), 303)


@bp.after_request
def keep_private(response):
    """The sign-in pages are nobody's to cache either."""
    return no_store(response)


@bp.get("/<path:path>")
@host_required
def unknown(path: str):
    """Unknown host pages are 404 only for a signed-in host; others are sent to the login."""
    abort(404)
