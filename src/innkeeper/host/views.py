from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _

from ..extensions import limiter
from ..web import no_store, page_or_fragment
from .auth import current_host, host_required, sign_in, sign_out
from .forms import LoginForm
from .services import authenticate, end_sessions

bp = Blueprint("host", __name__, url_prefix="/host")


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
        form.password.errors = [_("That e-mail and password do not match an account.")]
        return page_or_fragment("host/login.html", "content", 422, form=form)
    sign_in(host)
    next_url = request.args.get("next", "")
    # Only a page of the host area, and only a plain path: no other site, no header tricks.
    if not next_url.startswith("/host/") or not next_url.isprintable() or "\\" in next_url:
        next_url = url_for("dashboard.show")
    return redirect(next_url, 303)


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
