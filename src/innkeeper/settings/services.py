"""The site's settings and its host accounts, as the hosts manage them."""

from email.headerregistry import Address
from email.utils import parseaddr

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from ..activity.models import ACTIONS
from ..activity.services import changes_between, record
from ..database import write_transaction
from ..exceptions import AccountRefused
from ..extensions import db
from ..host.models import Host
from ..host.services import change_password, create_host, remove_host
from .models import FIELDS, SiteSettings

ACTIONS.update(
    {
        "settings.changed": _l("changed the settings of"),
        "host.added": _l("added the co-host"),
        "host.removed": _l("removed the co-host"),
        "host.password_changed": _l("changed the password of"),
    }
)


def site_settings() -> SiteSettings:
    """The site's settings; read once per database session (the identity map keeps them)."""
    return db.session.get(SiteSettings, 1) or SiteSettings.defaults()


def sender() -> str:
    """The From of the site's mail: the settings' name and address, else MAIL_DEFAULT_SENDER's."""
    settings = site_settings()
    default_name, default_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    name = settings.sender_name or default_name or settings.site_name
    return str(Address(name, addr_spec=settings.sender_address or default_address))


def _shown(settings: SiteSettings) -> dict:
    return {name: getattr(settings, name) or None for name in FIELDS}


def update_settings(values: dict) -> bool:
    """Save the settings given; False when nothing changed. Recorded in the activity log."""
    with write_transaction() as session:
        dialect = postgresql if session.connection().dialect.name == "postgresql" else sqlite
        # The row is made on the first save; two hosts saving at once both find it.
        defaults = SiteSettings.defaults()
        session.execute(
            dialect.insert(SiteSettings)
            .values({name: getattr(defaults, name) for name in ("id", *FIELDS)})
            .on_conflict_do_nothing()
        )
        settings = session.get(SiteSettings, 1, with_for_update=True, populate_existing=True)
        before = _shown(settings)
        for name in FIELDS:
            if name in values:
                setattr(settings, name, values[name])
        changes = changes_between(before, _shown(settings))
        if not changes:
            return False
        record("settings.changed", settings.site_name, changes=changes)
    return True


def add_co_host(email: str, password: str) -> Host:
    """A new host account, signed in with its own password; logged as added by the host."""
    return create_host(email, password, then=lambda host: record("host.added", host.email))


def remove_co_host(host: Host, by: Host) -> bool:
    """Remove another host's account; nobody removes their own (or the last one)."""
    if host.id == by.id:
        raise AccountRefused("own_account")
    return remove_host(host, then=lambda gone: record("host.removed", gone.email))


def change_own_password(host: Host, current_password: str, new_password: str) -> None:
    """A new password for the host signed in, who proves it with the current one; their
    other browsers are signed out, this one stays in."""
    if not host.check_password(current_password):
        raise AccountRefused("password_wrong")
    change_password(host, new_password, then=lambda h: record("host.password_changed", h.email))
