import gzip
import secrets
from collections.abc import Callable
from functools import cache
from importlib import resources

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, not_, select, update

from ..clock import utcnow
from ..database import write_transaction
from ..exceptions import AccountRefused, NotFound
from ..extensions import db
from .auth import current_session, session_limits
from .models import Host, HostSession, hash_password, normalise_email

MIN_PASSWORD_LENGTH = 12


def checked_email(email: str) -> str:
    """The address, normalised, if it is one a person can receive mail at (no DNS lookup)."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AccountRefused("email_invalid", email=email, reason=str(error)) from None
    return normalise_email(address)


@cache
def _common_passwords() -> frozenset[str]:
    # Django's list of 20,000 common passwords, lower-cased (django/contrib/auth/
    # common-passwords.txt.gz, from Django 5.2; BSD licence, Copyright (c) Django Software
    # Foundation and individual contributors), itself drawn from Royce Williams' list.
    data = resources.files(__package__).joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode().splitlines())


def check_new_password(password: str) -> None:
    """Refuse a password that is short or among the most common ones, whatever its case."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise AccountRefused("password_too_short", count=MIN_PASSWORD_LENGTH)
    if password.strip().lower() in _common_passwords():
        raise AccountRefused("password_common")


def create_host(email: str, password: str, *, then: Callable[[Host], object] | None = None) -> Host:
    """A new host account; `then(host)` runs in its transaction (to log who added it)."""
    email = checked_email(email)
    check_new_password(password)
    password_hash = hash_password(password)
    with write_transaction() as session:
        if session.scalar(select(Host.id).filter_by(email=email)) is not None:
            raise AccountRefused("host_exists", email=email)
        host = Host(email=email, password_hash=password_hash)
        session.add(host)
        session.flush()
        if then is not None:
            then(host)
    return host


def list_hosts() -> list[Host]:
    """Every host account, oldest first."""
    return list(db.session.scalars(select(Host).order_by(Host.id)))


def get_host(host_id: int) -> Host:
    host = db.session.get(Host, host_id)
    if host is None:
        raise NotFound("host_not_found")
    return host


def remove_host(host: Host, *, then: Callable[[Host], object] | None = None) -> bool:
    """Delete the account and sign it out everywhere; False when it was gone already.

    The last account stays: without one, nobody could sign in to run the site.
    """
    host_id = host.id
    with write_transaction() as session:
        if session.get(Host, host_id, populate_existing=True) is None:
            return False
        if session.scalar(select(func.count(Host.id))) == 1:
            raise AccountRefused("last_host")
        if then is not None:
            then(host)
        session.execute(delete(Host).where(Host.id == host_id))
    return True


def _host_by_email(email: str) -> Host | None:
    return db.session.scalar(select(Host).where(func.lower(Host.email) == normalise_email(email)))


def find_host(email: str) -> Host:
    host = _host_by_email(email)
    if host is None:
        raise AccountRefused("host_unknown", email=email)
    return host


def change_password(
    host: Host, new_password: str, *, then: Callable[[Host], object] | None = None
) -> None:
    """Give the host a new password and end their sessions; a request of the host's own
    keeps its session, so whoever changed the password stays signed in there. `then(host)`
    runs in the transaction."""
    check_new_password(new_password)
    password_hash = hash_password(new_password)
    this_one = current_session()
    host_id = host.id
    keep = this_one.id if this_one is not None and this_one.host_id == host_id else None
    with write_transaction() as session:
        session.execute(update(Host).where(Host.id == host_id).values(password_hash=password_hash))
        session.execute(_sessions_of(host_id, keep))
        if then is not None:
            then(host)


def end_sessions(host: Host) -> int:
    """Sign the host out of every browser; returns how many sessions were ended."""
    host_id = host.id
    with write_transaction() as session:
        return session.execute(_sessions_of(host_id)).rowcount


def _sessions_of(host_id: int, keep: int | None = None):
    query = delete(HostSession).where(HostSession.host_id == host_id)
    return query if keep is None else query.where(HostSession.id != keep)


def purge_expired_sessions() -> int:
    """Delete the sessions that idled or lasted too long; the worker runs it."""
    with write_transaction() as session:
        expired = not_(HostSession.open_at(utcnow(), *session_limits()))
        return session.execute(delete(HostSession).where(expired)).rowcount


@cache
def _nobodys_password_hash() -> str:
    return hash_password(secrets.token_urlsafe())


def authenticate(email: str, password: str) -> Host | None:
    """The host with this address and password, if any; an older hash is upgraded on the way."""
    host = _host_by_email(email)
    if host is None:
        # Verify anyway, so a wrong address takes as long as a wrong password.
        Host(password_hash=_nobodys_password_hash()).check_password(password)
        return None
    if not host.check_password(password):
        return None
    if host.password_needs_rehash:
        host_id, new_hash = host.id, hash_password(password)
        with write_transaction() as session:
            session.execute(update(Host).where(Host.id == host_id).values(password_hash=new_hash))
    return host


def host_recipients() -> list[tuple[str, str | None]]:
    """Every host account's address and language (None: the site's), oldest account first."""
    rows = db.session.execute(select(Host.email, Host.locale).order_by(Host.id))
    return [(email, locale or None) for email, locale in rows]


def set_language(host: Host, locale: str) -> None:
    """The language of the host's own pages and mail; "" speaks to them as to a guest."""
    with write_transaction():
        host.locale = locale
