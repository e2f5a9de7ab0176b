import gzip
import secrets
from functools import cache
from importlib import resources

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update

from ..database import write_transaction
from ..exceptions import AccountRefused
from ..extensions import db
from .models import Host, hash_password

MIN_PASSWORD_LENGTH = 12


def normalise_email(email: str) -> str:
    return email.strip().lower()


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


def create_host(email: str, password: str) -> Host:
    email = checked_email(email)
    check_new_password(password)
    password_hash = hash_password(password)
    with write_transaction() as session:
        if session.scalar(select(Host.id).filter_by(email=email)) is not None:
            raise AccountRefused("host_exists", email=email)
        host = Host(email=email, password_hash=password_hash)
        session.add(host)
    return host


def _host_by_email(email: str) -> Host | None:
    return db.session.scalar(select(Host).where(func.lower(Host.email) == normalise_email(email)))


def find_host(email: str) -> Host:
    host = _host_by_email(email)
    if host is None:
        raise AccountRefused("host_unknown", email=email)
    return host


def change_password(host: Host, new_password: str) -> None:
    check_new_password(new_password)
    _store_password_hash(host, hash_password(new_password))


def _store_password_hash(host: Host, password_hash: str) -> None:
    with write_transaction() as session:
        session.execute(update(Host).where(Host.id == host.id).values(password_hash=password_hash))


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
        _store_password_hash(host, hash_password(password))
    return host


def host_addresses() -> list[str]:
    """Every host account's address, oldest account first."""
    return list(db.session.scalars(select(Host.email).order_by(Host.id)))
