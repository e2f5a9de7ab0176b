"""Headers every response carries, and the long-lived cookies the site sets."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Flask, Response, abort, current_app, g, request
from flask_babel import gettext as _

POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
]


def set_lasting_cookie(response: Response, name: str, value: str, lifetime: timedelta) -> None:
    """A cookie kept across visits: site-wide, out of scripts' reach, not sent along by
    other sites' forms, over HTTPS only where the session cookie is."""
    response.set_cookie(
        name,
        value,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def embeddable(view: Callable) -> Callable:
    """The view's page may be framed by the origins in EMBED_ALLOWED_ORIGINS (the booking
    widget); every other page keeps frame-ancestors 'none' and X-Frame-Options DENY."""

    @wraps(view)
    def framed(*args, **kwargs):
        g.embeddable = True
        return view(*args, **kwargs)

    return framed


# Stripe Checkout's page: with card payments on, the guest's "Pay by card" form leads there.
CHECKOUT_ORIGIN = "https://checkout.stripe.com"


NOBODY = "'none'"


def content_security_policy(frame_ancestors: list[str]) -> str:
    """The policy of an HTML page: framed by `frame_ancestors` only ('none' when empty);
    with card payments on, its forms may lead to Stripe Checkout."""
    stripe_on = (
        current_app.config["STRIPE_SECRET_KEY"] and current_app.config["STRIPE_WEBHOOK_SECRET"]
    )
    rules = []
    for rule in POLICY:
        if rule.startswith("frame-ancestors"):
            rule = f"frame-ancestors {' '.join(frame_ancestors) or chr(39) + 'none' + chr(39)}"
        elif rule.startswith("form-action") and stripe_on:
            rule = f"{rule} {CHECKOUT_ORIGIN}"
        rules.append(rule)
    return "; ".join(rules)


# The site uses none of these: no page, nor anything injected into one, may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    # Same-origin requests keep their Referer, which CSRF checks over https need;
    # guest links with their token never leave the site.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config["BASE_URL"].startswith("https://"):
        # Served over https (BASE_URL): browsers keep to https for a year.
        hsts = "max-age=31536000"
        if current_app.config["HSTS_INCLUDE_SUBDOMAINS"]:
            hsts += "; includeSubDomains"
        headers.setdefault("Strict-Transport-Security", hsts)
    if response.mimetype == "text/html":
        origins = current_app.config["EMBED_ALLOWED_ORIGINS"] if g.get("embeddable") else []
        headers["Content-Security-Policy"] = content_security_policy(origins)
        if origins:
            # X-Frame-Options cannot name origins; browsers follow frame-ancestors instead.
            headers.pop("X-Frame-Options", None)
        else:
            headers["X-Frame-Options"] = "DENY"
    return response


def _refuse_nul_bytes() -> None:
    """No text we store or look up may hold a NUL byte (PostgreSQL refuses them)."""
    values = [request.path, *(v for _, vs in request.args.lists() for v in vs)]
    if request.method == "POST":
        values += [v for _, vs in request.form.lists() for v in vs]
    if any("\x00" in value for value in values):
        abort(400, _("The request contains a NUL character, which is not allowed."))


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_bytes)
    app.after_request(_add_headers)
