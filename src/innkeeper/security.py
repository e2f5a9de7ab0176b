"""Headers every response carries."""

from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
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
)


# Stripe Checkout's page: with card payments on, the guest's "Pay by card" form leads there.
CHECKOUT_ORIGIN = "https://checkout.stripe.com"


def content_security_policy() -> str:
    if current_app.config["STRIPE_SECRET_KEY"] and current_app.config["STRIPE_WEBHOOK_SECRET"]:
        return CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {CHECKOUT_ORIGIN}"
        )
    return CONTENT_SECURITY_POLICY


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
        headers["Content-Security-Policy"] = content_security_policy()
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
