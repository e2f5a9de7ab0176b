"""The host records a payment received, or a refund made, for a stay."""

from flask import Blueprint, flash, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..exceptions import InvalidFields
from ..forms import add_field_errors
from ..host.auth import current_host, host_required
from ..reservations.hooks import stay_details
from ..reservations.services import find_by_code
from ..submissions import earlier_result
from ..web import page_or_fragment, see_other
from . import services
from .forms import METHODS, PaymentForm
from .models import PaymentMethod

bp = Blueprint("payments_admin", __name__, url_prefix="/host")

# The stay's host page carries the form to record a payment.
stay_details.append(
    lambda reservation: {"payment_form": PaymentForm(formdata=None), "payment_methods": METHODS}
)


def _form_page(reservation, form: PaymentForm, status: int):
    return page_or_fragment(
        "payments/admin/record.html",
        "page",
        status,
        reservation=reservation,
        account=services.account_of(reservation),
        form=form,
        payment_methods=METHODS,
    )


@bp.post("/reservations/<code>/payments")
@host_required
def record(code: str):
    """Record a payment (a negative amount: a refund); 422 beside the amount; one per form."""
    reservation = find_by_code(code)
    form = PaymentForm()
    key = form.submission_key.data
    if earlier_result(key):
        return see_other(
            url_for("reservations_admin.show", code=reservation.code, _anchor="payments")
        )
    form.validate()
    amount = form.amount_in(reservation.currency)
    if amount is None or form.errors:
        return _form_page(reservation, form, 422)
    try:
        payment = services.record_payment(
            reservation,
            amount,
            PaymentMethod(form.method.data),
            form.note.data or "",
            by=current_host(),
            submission_key=key,
        )
    except InvalidFields as error:
        add_field_errors(form, error.fields)
        return _form_page(reservation, form, 422)
    except IntegrityError:
        # The same form, submitted twice at once: the other submission recorded it.
        if earlier_result(key):
            return see_other(url_for("reservations_admin.show", code=reservation.code))
        raise
    if payment.is_refund:
        flash(
            _(
                "A refund of %(amount)s is recorded.",
                amount=(-payment.amount).format(str(get_locale())),
            )
        )
    else:
        flash(
            _(
                "A payment of %(amount)s is recorded.",
                amount=payment.amount.format(str(get_locale())),
            )
        )
    return see_other(url_for("reservations_admin.show", code=reservation.code, _anchor="payments"))
