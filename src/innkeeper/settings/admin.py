"""The host's settings page: the site's details, the host accounts, one's own password."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from ..exceptions import AccountRefused, InnkeeperError, NotFound
from ..extensions import limiter
from ..forms import shown_values, with_posted
from ..host.auth import current_host, host_required
from ..host.services import get_host, list_hosts, set_language
from ..web import page_or_fragment, see_other
from .forms import CoHostForm, LanguageForm, PasswordForm, SettingsForm
from .models import FIELDS
from .services import (
    add_co_host,
    change_own_password,
    remove_co_host,
    site_settings,
    update_settings,
)

bp = Blueprint("settings_admin", __name__, url_prefix="/host/settings")


def _page(settings_form=None, co_host_form=None, language_form=None, status: int = 200):
    return page_or_fragment(
        "settings/admin/settings.html",
        "page",
        status,
        form=settings_form or SettingsForm.of(site_settings()),
        co_host_form=co_host_form or CoHostForm(formdata=None),
        language_form=language_form or LanguageForm(formdata=None, obj=current_host()),
        hosts=list_hosts(),
        me=current_host(),
    )


@bp.get("/")
@host_required
def show():
    """The settings, the host accounts and a form to add a co-host."""
    return _page()


@bp.post("/")
@host_required
def update():
    """Save the settings posted; fields left out keep their values."""
    form = SettingsForm.of(site_settings())
    form = SettingsForm(formdata=with_posted(shown_values(form, FIELDS), request.form))
    if not form.validate():
        return _page(settings_form=form, status=422)
    if update_settings(form.values()):
        flash(_("The settings are saved."))
    return see_other(url_for(".show"))


@bp.post("/language")
@host_required
def language():
    """The signed-in host's own language, for their pages and their mail."""
    form = LanguageForm()
    if not form.validate():
        return _page(language_form=form, status=422)
    set_language(current_host(), form.locale.data)
    refresh()  # the notice below is in the language just chosen
    flash(_("Your language is saved."))
    return see_other(url_for(".show"))


@bp.post("/hosts")
@host_required
def add_host():
    """Add a co-host, who signs in with their own address and password."""
    form = CoHostForm()
    if not form.validate():
        return _page(co_host_form=form, status=422)
    try:
        host = add_co_host(form.email.data, form.password.data)
    except AccountRefused as error:
        field = form.password if error.key.startswith("password") else form.email
        field.errors = [error.message]
        return _page(co_host_form=form, status=422)
    flash(_("%(email)s can sign in now, with the password you gave.", email=host.email))
    return see_other(url_for(".show"))


@bp.route("/hosts/<int:host_id>/remove", methods=["GET", "POST"])
@host_required
def remove_host(host_id: int):
    """Ask first; then the account is gone and signed out everywhere. Asked twice: done."""
    try:
        host = get_host(host_id)
    except NotFound:
        if request.method == "POST":  # removed by the first click
            return see_other(url_for(".show"))
        raise
    problem = None
    if request.method == "POST":
        try:
            remove_co_host(host, by=current_host())
        except InnkeeperError as error:
            problem = error.message
        else:
            flash(_("%(email)s can no longer sign in.", email=host.email))
            return see_other(url_for(".show"))
    return page_or_fragment(
        "settings/admin/remove_host.html",
        "page",
        409 if problem else 200,
        host=host,
        problem=problem,
    )


def _wrong_password(response) -> bool:
    return request.method == "POST" and response.status_code == 422


@bp.route("/password", methods=["GET", "POST"])
@host_required
# Whoever holds a host's browser cannot try current passwords without end.
@limiter.limit(
    "10 per hour",
    key_func=lambda: f"password-change:{current_host().id}",
    methods=["POST"],
    deduct_when=_wrong_password,
)
def password():
    """Change one's own password: the current one first; other browsers are signed out."""
    form = PasswordForm()
    if request.method == "POST" and form.validate():
        try:
            change_own_password(current_host(), form.current_password.data, form.new_password.data)
        except AccountRefused as error:
            field = form.current_password if error.key == "password_wrong" else form.new_password
            field.errors = [error.message]
        else:
            flash(_("Your password is changed; your other browsers are signed out."))
            return see_other(url_for(".show"))
    status = 422 if request.method == "POST" else 200
    return page_or_fragment(
        "settings/admin/password.html", "page", status, form=form, me=current_host()
    )
