from sqlalchemy import func, select

from ..database import write_transaction
from ..extensions import db
from .models import Host


class HostExists(Exception):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_host(email: str, password: str) -> Host:
    with write_transaction() as session:
        email = normalise_email(email)
        if session.scalar(select(Host.id).filter_by(email=email)) is not None:
            raise HostExists(email)
        host = Host(email=email)
        host.set_password(password)
        session.add(host)
    return host


def authenticate(email: str, password: str) -> Host | None:
    host = db.session.scalar(select(Host).where(func.lower(Host.email) == normalise_email(email)))
    if host is None:
        # Hash anyway, so a wrong address takes as long as a wrong password.
        Host(password_hash="").set_password(password)
        return None
    return host if host.check_password(password) else None


def host_addresses() -> list[str]:
    """Every host account's address, oldest account first."""
    return list(db.session.scalars(select(Host.email).order_by(Host.id)))
