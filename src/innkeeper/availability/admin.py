"""The host's calendar: who holds each night of a place, closing and reopening nights."""

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from ..exceptions import DatesUnavailable
from ..extensions import db
from ..host.auth import host_required
from ..locales import first_weekday
from ..properties.services import get_for_host, list_for_host
from ..web import page_or_fragment, see_other
from .forms import BlockForm
from .models import Block
from .month import parse_month
from .services import block_nights, host_month, unblock

bp = Blueprint("availability_admin", __name__, url_prefix="/host")


@bp.get("/calendar")
@host_required
def overview():
    """The first place's calendar; with no place yet, a pointer to adding one."""
    places = list_for_host()
    if places:
        return redirect(url_for(".calendar", slug=places[0].slug))
    return page_or_fragment("availability/admin/calendar.html", "page", places=[], prop=None)


def _calendar_page(prop, form: BlockForm, status: int = 200, problem: str | None = None):
    today = prop.local_today()
    first = parse_month(request.values.get("month")) or today.replace(day=1)
    return page_or_fragment(
        "availability/admin/calendar.html",
        "page",
        status,
        places=list_for_host(),
        prop=prop,
        month=host_month(prop, first, today, first_weekday(str(get_locale()))),
        today=today,
        form=form,
        problem=problem,
    )


@bp.get("/calendar/<slug>")
@host_required
def calendar(slug: str):
    """A month of the place. Choosing a day, then another, fills the form to close them."""
    prop = get_for_host(slug)
    chosen = {name: _day(request.args.get(name)) for name in ("start", "end")}
    return _calendar_page(prop, BlockForm(formdata=None, data=chosen))


def _day(value: str | None) -> date | None:
    """A day chosen on the calendar; anything else chooses nothing."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.post("/properties/<slug>/blocks")
@host_required
def create_block(slug: str):
    """Close the nights [start, end); 409 when one of them is taken."""
    prop = get_for_host(slug)
    form = BlockForm()
    if not form.validate_for(prop.local_today()):
        return _calendar_page(prop, form, 422)
    try:
        block_nights(prop, form.start.data, form.end.data, form.note.data or "")
    except DatesUnavailable as error:
        return _calendar_page(prop, form, 409, problem=error.message)
    start, end = format_date(form.start.data), format_date(form.end.data)
    flash(_("Closed from %(start)s until %(end)s.", start=start, end=end))
    month = form.start.data.strftime("%Y-%m")
    return see_other(url_for(".calendar", slug=prop.slug, month=month))


@bp.post("/blocks/<int:block_id>/delete")
@host_required
def delete_block(block_id: int):
    """Reopen a block's nights. Pressing it again, once reopened, changes nothing."""
    block = db.session.get(Block, block_id) if block_id < 2**31 else None
    if block is None:
        flash(_("Those nights were open already."))
        return see_other(url_for(".overview"))
    if block.feed_id is not None:
        flash(_("These nights come from another site's calendar; free them there."))
    else:
        unblock(block)
        start, end = format_date(block.start_date), format_date(block.end_date)
        flash(_("Reopened from %(start)s until %(end)s.", start=start, end=end))
    month = block.start_date.strftime("%Y-%m")
    return see_other(url_for(".calendar", slug=block.property.slug, month=month))
