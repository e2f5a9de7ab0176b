from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, ForeignKey, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from ..clock import utcnow
from ..extensions import db

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 50 ms on a
# small server, and a flood of sign-ins cannot make it allocate 64 MiB for each, as
# argon2-cffi's defaults would.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ARGON2_PREFIX = "$argon2"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class Host(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language of this host's pages and mail; "" speaks to them as to a guest.
    locale: Mapped[str] = mapped_column(String(16), default="")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash.startswith(ARGON2_PREFIX):
            # An account from before argon2id: werkzeug's scrypt or pbkdf2.
            return check_password_hash(self.password_hash, password)
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def password_needs_rehash(self) -> bool:
        """Hashed some older way, or with weaker parameters than today's."""
        return not self.password_hash.startswith(ARGON2_PREFIX) or _hasher.check_needs_rehash(
            self.password_hash
        )


class HostSession(db.Model):
    """A browser signed in as a host. Its cookie carries a random token; only the token's
    hash is kept here, so neither this table nor a copy of it lets anyone sign in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most once a minute (see auth.TOUCH_EVERY), not at every request.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    host: Mapped[Host] = relationship()

    @classmethod
    def open_at(cls, moment: datetime, idle: timedelta, longest: timedelta) -> ColumnElement:
        """Sessions neither idle for `idle` nor begun `longest` ago or more, at `moment`."""
        return and_(cls.last_seen_at > moment - idle, cls.created_at > moment - longest)
