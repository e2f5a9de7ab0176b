"""Settings read from the environment at start-up (see README, "Configuration")."""

import os
import re
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY, generating it once and keeping it in the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # Written aside, then linked into place: when several workers start at once,
        # the first link wins and every worker reads the same complete key.
        draft = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = key_file.read_text().strip()
    if not key:
        raise RuntimeError(f"{key_file} is empty; delete it to generate a new key.")
    return key


def _int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name, str(default))
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, not {number}.")
    return number


# The longest a request may hold its nights: a year.
MAX_REQUEST_HOLD_HOURS = 24 * 366


def _hours(name: str, default: float, maximum: float) -> float:
    """A number of hours, fractions allowed ("0.5" is half an hour): more than 0, at most
    `maximum`."""
    value = os.environ.get(name, str(default))
    try:
        hours = float(value)
    except ValueError:
        message = f"{name} must be a number of hours like 24 or 0.5, not {value!r}."
        raise SystemExit(message) from None
    # Written this way round, NaN fails too.
    if not 0 < hours <= maximum:
        raise SystemExit(f"{name} must be more than 0 and at most {maximum} hours, not {value!r}.")
    return hours


# scheme://host[:port]: a DNS name or an IPv4 or bracketed IPv6 address, nothing after it.
ORIGIN = re.compile(
    r"https?://(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    r"|\[[0-9a-f:.]+\])(?::(?P<port>\d{1,5}))?",
    re.IGNORECASE,
)


def _origins(name: str) -> list[str]:
    """Space-separated origins, each scheme://host[:port]; SystemExit on anything else."""
    origins = os.environ.get(name, "").split()
    for origin in origins:
        match = ORIGIN.fullmatch(origin)
        if not match or (match["port"] and not 0 < int(match["port"]) < 65536):
            raise SystemExit(
                f"{name}: {origin!r} is not an origin. Give each site as scheme://host[:port], "
                "for example https://www.example.com or http://127.0.0.1:8080, with no path "
                "or trailing slash, separated by spaces."
            )
    return origins


def from_environment(instance_path: Path) -> dict:
    default_db = f"sqlite:///{instance_path / 'innkeeper.db'}"
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "BASE_URL": base_url,
        # Served over https: the session cookie travels over https only, and its __Host-
        # prefix tells browsers to refuse it from a subdomain or over plain http.
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "SESSION_COOKIE_NAME": "__Host-session" if base_url.startswith("https://") else "session",
        # A host's session ends after this long without a request, or this long after signing in.
        "HOST_SESSION_IDLE_MINUTES": _int("HOST_SESSION_IDLE_MINUTES", 120, minimum=1),
        "HOST_SESSION_MAX_HOURS": _int("HOST_SESSION_MAX_HOURS", 12, minimum=1),
        # Strict-Transport-Security for every subdomain too: only when all of them use https.
        "HSTS_INCLUDE_SUBDOMAINS": _flag("HSTS_INCLUDE_SUBDOMAINS"),
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "innkeeper@localhost"),
        "REMINDER_DAYS": _int("REMINDER_DAYS", 3),
        # Days before check-in when the place's arrival instructions are mailed.
        "PRE_ARRIVAL_DAYS": _int("PRE_ARRIVAL_DAYS", 1, minimum=0),
        # "Find my booking" requests one client address may make.
        "FIND_BOOKING_RATE_LIMIT": os.environ.get("FIND_BOOKING_RATE_LIMIT", "10 per hour"),
        # How long a booking request holds its nights waiting for the host's answer.
        "REQUEST_HOLD_HOURS": _hours("REQUEST_HOLD_HOURS", 24, MAX_REQUEST_HOLD_HOURS),
        # Per client address, in Flask-Limiter's notation; the server's own address is exempt.
        "BOOKING_RATE_LIMIT": os.environ.get("BOOKING_RATE_LIMIT", "10 per hour"),
        "QUOTE_RATE_LIMIT": os.environ.get("QUOTE_RATE_LIMIT", "120 per minute"),
        "FEED_ALLOW_PRIVATE": _flag("FEED_ALLOW_PRIVATE"),
        # Sites whose pages may frame the booking widget, /properties/<slug>/embed.
        "EMBED_ALLOWED_ORIGINS": _origins("EMBED_ALLOWED_ORIGINS"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "database://"),
        # Card payments through Stripe Checkout: offered only when both are set.
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or None,
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # No Domain and Path=/, as the __Host- prefix requires.
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": "/",
    # A booking form left open for hours must still submit.
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en",
    # Top level, like templates/ and static/; `make messages` writes the catalogues there.
    "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
    "RATELIMIT_HEADERS_ENABLED": True,
    # A counter store that cannot be reached must not stop guests from booking.
    "RATELIMIT_SWALLOW_ERRORS": True,
    # Forms and their fields; the photo upload (10 MB) is the largest.
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 512 * 1024,
    "MAIL_TIMEOUT_SECONDS": 10,
    # Flask-Mail would otherwise drop mail silently whenever TESTING is set.
    "MAIL_SUPPRESS_SEND": False,
    "MAIL_MAX_ATTEMPTS": 8,
    "BOOKING_LOCK_TIMEOUT_MS": 5000,
    # Switches for the concurrency tests, which prove the database alone refuses overlaps.
    "BOOKING_APP_CHECK": True,
    "BOOKING_LOCK": True,
    "JOBS_INTERVAL_SECONDS": 30,
    # Other sites' calendars: how often the worker fetches each, and the limits of one fetch.
    "FEED_SYNC_INTERVAL_SECONDS": 900,
    # The deadline covers the whole sync of a feed: download, reading and recurrences.
    "FEED_TIMEOUT_SECONDS": 10,
    "FEED_MAX_BYTES": 2_000_000,
    # Events still to come, each occurrence of a recurring one counted.
    "FEED_MAX_EVENTS": 5000,
    # Where the Stripe library sends its API requests (tests point it at a local server).
    "STRIPE_API_BASE": "https://api.stripe.com",
}
