"""Friendly error pages, fragment-aware; the 500 handler rolls the session back."""

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    TooManyRequests,
)

from .database import Busy
from .exceptions import InnkeeperError, describe
from .extensions import db
from .web import page_or_fragment

bp = Blueprint("errors", __name__)

TITLES = {
    400: _l("This request could not be understood"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Those dates are taken"),
    413: _l("This request is too large"),
    422: _l("Please check your request"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("Busy right now"),
}


# Said instead of Werkzeug's own English, when an abort() gave no message of its own.
MESSAGES = {
    400: _l("Go back, check what you sent and try again."),
    404: _l("Nothing is at this address. Check the link, or start again from the home page."),
    405: _l("This address does not answer that kind of request."),
}


def render_error(
    status: int,
    message: str,
    headers: dict | None = None,
    template: str = "errors/error.html",
    title: str | None = None,
):
    """The error page; a feature may give a `template` of its own, with the same values."""
    response = page_or_fragment(
        template,
        "content",
        status=status,
        title=title or TITLES.get(status, TITLES[400]),
        message=message,
        status_code=status,
    )
    response.headers.update(headers or {})
    return response


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    return render_error(
        400,
        _l("This form has expired or was not sent from this site. Reload the page and try again."),
    )


@bp.app_errorhandler(InnkeeperError)
def innkeeper_error(error: InnkeeperError):
    return render_error(error.status, error.message)


@bp.app_errorhandler(Busy)
def busy(error: Busy):
    return render_error(503, describe("busy"), {"Retry-After": str(Busy.retry_after_seconds)})


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    return render_error(
        413,
        _l(
            "What was sent is larger than this site accepts (%(size)s MB at most)."
            " Send a smaller file or a shorter text.",
            size=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
        ),
    )


@bp.app_errorhandler(TooManyRequests)
def too_many(error: TooManyRequests):
    # A limit with a message of its own (when to try again) says it; the others, this.
    limit = getattr(error, "limit", None)
    if limit is not None and limit.error_message:
        return render_error(429, error.description)
    return render_error(
        429, _l("Too many attempts from your address. Please wait a while and try again.")
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    status = error.code or 400
    message = error.description
    if not message or message == type(error).description:
        message = MESSAGES.get(status, TITLES.get(status, TITLES[400]))
    return render_error(status, message)


@bp.app_errorhandler(InternalServerError)
def internal_error(error: InternalServerError):
    """Flask has logged the exception; undo the request's unfinished work."""
    db.session.rollback()
    return render_error(500, _l("The error was logged. Please try again in a moment."))
