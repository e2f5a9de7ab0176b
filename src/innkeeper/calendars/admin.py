"""The host's page of a place's calendar subscriptions: add, sync now, re-point, remove."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..exceptions import FeedError, NotFound
from ..host.auth import host_required
from ..properties.models import Property
from ..properties.services import get_for_host
from ..web import external_url, page_or_fragment, see_other
from .forms import FeedAddressForm, FeedForm
from .services import (
    add_feed,
    change_feed_url,
    export_link,
    get_feed,
    list_feeds,
    remove_feed,
    sync_feed,
)

bp = Blueprint("calendars_admin", __name__, url_prefix="/host/properties")


def _page(prop: Property, form: FeedForm | None = None, status: int = 200, **context):
    feeds = list_feeds(prop.slug)
    return page_or_fragment(
        "calendars/admin/feeds.html",
        "page",
        status,
        prop=prop,
        feeds=feeds,
        links={feed.id: export_link(feed) for feed in feeds},
        public_link=external_url("calendars.feed", slug=prop.slug),
        form=form or FeedForm(formdata=None),
        address_forms=context.pop("address_forms", {}),
        **context,
    )


@bp.get("/<slug>/calendars")
@host_required
def index(slug: str):
    """The calendars the place follows, each with its state and the link to give back."""
    return _page(get_for_host(slug))


@bp.post("/<slug>/calendars")
@host_required
def create(slug: str):
    """Follow another site's calendar; a link that cannot be used is refused beside the field."""
    prop = get_for_host(slug)
    form = FeedForm()
    if not form.validate():
        return _page(prop, form, 422)
    try:
        feed = add_feed(prop.slug, form.url.data, form.label.data or None)
    except FeedError as error:
        form.url.errors = [error.message]
        return _page(prop, form, 422)
    flash(
        _(
            "%(calendar)s is added; its events close nights from the next sync on. Give"
            " %(calendar)s the link shown beside it, so that it follows this place too.",
            calendar=feed.label,
        )
    )
    return see_other(url_for(".index", slug=prop.slug, _anchor=f"feed-{feed.id}"))


@bp.post("/<slug>/calendars/<int:feed_id>/sync")
@host_required
def sync(slug: str, feed_id: int):
    """Read the calendar now instead of waiting for the worker's next round."""
    prop = get_for_host(slug)
    result = sync_feed(get_feed(prop, feed_id))
    if result.error:
        flash(_("The calendar could not be read; the reason is shown beside it."))
    else:
        changed = result.added + result.moved + result.removed
        flash(
            ngettext(
                "The calendar is read: %(num)d change.",
                "The calendar is read: %(num)d changes.",
                changed,
            )
        )
    return see_other(url_for(".index", slug=prop.slug, _anchor=f"feed-{feed_id}"))


@bp.post("/<slug>/calendars/<int:feed_id>")
@host_required
def change_address(slug: str, feed_id: int):
    """Point the subscription at a new link; its closed nights and its own link stay."""
    prop = get_for_host(slug)
    feed = get_feed(prop, feed_id)
    form = FeedAddressForm()
    if form.validate():
        try:
            change_feed_url(feed.id, form.url.data)
        except FeedError as error:
            form.url.errors = [error.message]
        else:
            flash(_("%(calendar)s is read from its new link from now on.", calendar=feed.label))
            return see_other(url_for(".index", slug=prop.slug, _anchor=f"feed-{feed.id}"))
    return _page(prop, status=422, address_forms={feed.id: form})


@bp.route("/<slug>/calendars/<int:feed_id>/remove", methods=["GET", "POST"])
@host_required
def remove(slug: str, feed_id: int):
    """Ask first; then the calendar's events no longer close nights. Asked twice: done."""
    prop = get_for_host(slug)
    if request.method == "GET":
        feed = get_feed(prop, feed_id)
        return page_or_fragment(
            "calendars/admin/remove.html", "page", prop=prop, feed=feed, events=len(feed.blocks)
        )
    try:
        feed = get_feed(prop, feed_id)
        label = feed.label
        remove_feed(feed.id)
    except (NotFound, FeedError):
        pass  # removed by the first click
    else:
        flash(_("%(calendar)s is no longer followed; its nights are open again.", calendar=label))
    return see_other(url_for(".index", slug=prop.slug))
