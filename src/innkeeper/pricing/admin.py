"""The host's prices and rules of a place (discounts, fees, taxes, booking rules, seasons),
and the site's coupons."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from ..exceptions import InvalidFields
from ..forms import add_field_errors, shown_values, with_posted
from ..host.auth import host_required
from ..properties.models import Property
from ..properties.services import get_for_host, list_for_host
from ..web import page_or_fragment, see_other
from .coupons import add_coupon, deactivate_coupon, get_coupon, list_coupons
from .forms import CouponForm, RulesForm, SeasonForm
from .services import add_season, delete_season, get_season, update_rules

bp = Blueprint("pricing_admin", __name__, url_prefix="/host/properties")
coupons_bp = Blueprint("coupons_admin", __name__, url_prefix="/host/coupons")


def _page(prop: Property, rules: RulesForm | None = None, season_form=None, status: int = 200):
    return page_or_fragment(
        "pricing/admin/pricing.html",
        "page",
        status,
        prop=prop,
        rules=rules or RulesForm.of(prop),
        season_form=season_form or SeasonForm(formdata=None),
    )


@bp.get("/<slug>/pricing")
@host_required
def show(slug: str):
    """The place's prices and rules, its seasons, and a form to add one."""
    return _page(get_for_host(slug))


@bp.post("/<slug>/pricing")
@host_required
def update(slug: str):
    """Change the rules sent; the ones left out keep their values. New quotes take them."""
    prop = get_for_host(slug)
    form = RulesForm(formdata=with_posted(shown_values(RulesForm.of(prop)), request.form))
    values = form.values(prop.currency)
    if values is None:
        return _page(prop, rules=form, status=422)
    try:
        update_rules(prop, values)
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _page(prop, rules=form, status=422)
    flash(_("The prices and rules of %(name)s are saved.", name=prop.name))
    return see_other(url_for(".show", slug=prop.slug))


@bp.post("/<slug>/seasons")
@host_required
def create_season(slug: str):
    """Add a season; one that shares a night with another of the place is refused (422)."""
    prop = get_for_host(slug)
    form = SeasonForm()
    values = form.values(prop.currency)
    if values is None:
        return _page(prop, season_form=form, status=422)
    try:
        add_season(prop, **values)
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _page(prop, season_form=form, status=422)
    flash(_("The season is added."))
    return see_other(url_for(".show", slug=prop.slug))


@bp.route("/<slug>/seasons/<int:season_id>/delete", methods=["GET", "POST"])
@host_required
def remove_season(slug: str, season_id: int):
    """Ask first; then the season's nights take the place's own rates again."""
    prop = get_for_host(slug)
    season = get_season(prop, season_id)
    if request.method == "GET":
        return page_or_fragment(
            "pricing/admin/delete_season.html", "page", prop=prop, season=season
        )
    delete_season(prop, season.id)
    flash(_("The season is removed."))
    return see_other(url_for(".show", slug=prop.slug))


# --- coupons ----------------------------------------------------------------------------


def _coupons_page(form: CouponForm, status: int = 200):
    return page_or_fragment(
        "pricing/admin/coupons.html", "page", status, coupons=list_coupons(), form=form
    )


@coupons_bp.get("")
@host_required
def coupons():
    """Every coupon with its uses, and a form to add one."""
    return _coupons_page(CouponForm(list_for_host(), formdata=None))


@coupons_bp.post("")
@host_required
def create_coupon():
    """Offer a coupon; 422 with a message beside each field that is wrong, nothing stored."""
    form = CouponForm(list_for_host())
    values = form.values()
    if values is None:
        return _coupons_page(form, 422)
    try:
        coupon = add_coupon(**values)
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _coupons_page(form, 422)
    flash(_("The coupon %(code)s is offered.", code=coupon.code))
    return see_other(url_for(".coupons"))


@coupons_bp.route("/<int:coupon_id>/deactivate", methods=["GET", "POST"])
@host_required
def withdraw_coupon(coupon_id: int):
    """Ask first; then no quote or booking takes the coupon. Withdrawn already: nothing."""
    coupon = get_coupon(coupon_id)
    if request.method == "GET" and coupon.active:
        return page_or_fragment("pricing/admin/withdraw_coupon.html", "page", coupon=coupon)
    if request.method == "POST" and deactivate_coupon(coupon):
        flash(_("The coupon %(code)s is withdrawn.", code=coupon.code))
    return see_other(url_for(".coupons"))
