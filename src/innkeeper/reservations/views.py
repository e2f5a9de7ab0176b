from flask import Blueprint, make_response, redirect, request, url_for

from ..database import Busy
from ..properties.services import get_published
from ..properties.views import render_property
from ..web import page_or_fragment
from . import services
from .errors import BookingError, DatesUnavailable, InvalidStay
from .forms import CancelForm, ReservationForm

bp = Blueprint("reservations", __name__)


def _see_other(url: str):
    """303 to `url`; htmx gets 200 with HX-Redirect so it loads the page itself."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/properties/<slug>/reservations")
def create(slug: str):
    """Book a stay: 303 to the guest's page; 422 with messages; 409 when nights are taken."""
    prop = get_published(slug)
    form = ReservationForm()
    if not form.validate_for(prop):
        return render_property(prop, "booking", 422, form=form)
    try:
        reservation = services.reserve(slug, form.stay(), form.guest())
    except InvalidStay as error:
        form.add_errors(error.fields)
        return render_property(prop, "booking", 422, form=form)
    except DatesUnavailable as error:
        return render_property(prop, "booking", 409, form=form, quote_error=error.message)
    except Busy:
        response = render_property(
            prop, "booking", 503, form=form, quote_error=BookingError.describe("busy")
        )
        response.headers["Retry-After"] = str(Busy.retry_after_seconds)
        return response
    return _see_other(
        url_for("reservations.show", code=reservation.code, token=reservation.guest_token())
    )


@bp.get("/reservations/<code>")
def show(code: str):
    """The guest's reservation, behind the token from their confirmation."""
    token = request.args.get("token", "")
    reservation = services.find_reservation(code, token)
    response = page_or_fragment(
        "reservations/show.html",
        "content",
        reservation=reservation,
        token=token,
        cancel_form=CancelForm(),
    )
    return _private(response)


@bp.post("/reservations/<code>/cancel")
def cancel(code: str):
    """Cancel the stay before it begins; frees its nights and mails the guest."""
    token = request.form.get("token", "")
    reservation = services.cancel(code, token)
    return _see_other(url_for("reservations.show", code=reservation.code, token=token))
