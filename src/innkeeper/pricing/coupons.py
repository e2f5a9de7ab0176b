"""Coupons: the host offers them and withdraws them; a quote judges one, a booking uses it.

A percentage is taken off the stay's accommodation (the nights, extra guests, long-stay
discount and cleaning fee), an amount likewise but never more than it; taxes are then
counted on what is left (see `price()`). Whether a coupon may be used is judged on the
stay's check-in day, and each booking that takes one counts a use in its own transaction.
"""

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ..activity.models import ACTIONS
from ..activity.services import changes_between, record
from ..database import write_transaction
from ..exceptions import InvalidFields, NotFound, describe
from ..extensions import db
from ..money import Money
from ..properties.models import PERCENT_SCALE, Property
from ..properties.services import shown
from .models import Coupon
from .services import Stay

ACTIONS.update(
    {
        "coupon.added": _l("added the coupon"),
        "coupon.deactivated": _l("withdrew the coupon"),
    }
)

CODE_PATTERN = re.compile(r"[A-Z0-9-]{3,32}")


def normal_code(text: str) -> str:
    """A code as it is kept: typed in any case, stored and compared in capitals."""
    return text.strip().upper()


def _shown(coupon: Coupon) -> dict:
    percent = coupon.percent_off
    return {
        "code": coupon.code,
        "percent_off": f"{shown(percent)} %" if percent is not None else None,
        "amount_off": shown(coupon.amount_off),
        "property": coupon.property.name if coupon.property else None,
        "valid_from": shown(coupon.valid_from),
        "valid_until": shown(coupon.valid_until),
        "max_uses": shown(coupon.max_uses),
    }


def add_coupon(
    code: str,
    *,
    percent_off: Decimal | None = None,
    amount_off: Money | None = None,
    prop: Property | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    max_uses: int | None = None,
) -> Coupon:
    """Offer a coupon; InvalidFields, by form field, with every rule the values break."""
    code = normal_code(code)
    errors: dict[str, list[str]] = {}

    def fail(field: str, key: str, **params) -> None:
        errors.setdefault(field, []).append(describe(key, **params))

    if not CODE_PATTERN.fullmatch(code):
        fail("code", "coupon_code_format")
    if (percent_off is None) == (amount_off is None):
        fail("percent_off", "coupon_percent_or_amount")
    elif percent_off is not None and not 1 <= percent_off <= 100:
        fail("percent_off", "coupon_percent_range")
    elif amount_off is not None and prop is None:
        fail("amount_off", "coupon_amount_needs_place")
    elif amount_off is not None and amount_off.minor <= 0:
        fail("amount_off", "coupon_amount_positive")
    if valid_from and valid_until and valid_until < valid_from:
        fail("valid_until", "coupon_until_before_from")
    if errors:
        raise InvalidFields(errors)
    with write_transaction() as session:
        if session.scalar(select(Coupon.id).filter_by(code=code)) is not None:
            raise InvalidFields.on("code", "coupon_code_taken", code=code)
        coupon = Coupon(
            code=code,
            percent_off_millipercent=None
            if percent_off is None
            else int(percent_off * PERCENT_SCALE),
            amount_off_minor=None if amount_off is None else amount_off.minor,
            property=prop,
            valid_from=valid_from,
            valid_until=valid_until,
            max_uses=max_uses,
        )
        session.add(coupon)
        try:
            session.flush()
        except IntegrityError:
            # Another host added the same code at the same moment.
            raise InvalidFields.on("code", "coupon_code_taken", code=code) from None
        record(
            "coupon.added",
            code,
            property_id=prop.id if prop else None,
            changes=changes_between({}, _shown(coupon)),
        )
    return coupon


def list_coupons() -> list[Coupon]:
    """Every coupon, those still offered first, newest first within each."""
    query = select(Coupon).order_by(Coupon.active.desc(), Coupon.id.desc())
    return list(db.session.scalars(query))


def get_coupon(coupon_id: int) -> Coupon:
    coupon = db.session.get(Coupon, coupon_id)
    if coupon is None:
        raise NotFound("coupon_unknown_id")
    return coupon


def deactivate_coupon(coupon: Coupon) -> bool:
    """Withdraw the coupon: no quote or booking takes it from now on. False if it already was.

    The bookings that used it keep their discount.
    """
    with write_transaction() as session:
        withdrawn = session.execute(
            update(Coupon)
            .where(Coupon.id == coupon.id, Coupon.active.is_(True))
            .values(active=False)
            .execution_options(synchronize_session=False)
        ).rowcount
        if withdrawn:
            record(
                "coupon.deactivated",
                coupon.code,
                property_id=coupon.property_id,
                changes={"active": ["yes", "no"]},
            )
    return bool(withdrawn)


def _refused(key: str, **params) -> InvalidFields:
    return InvalidFields.on("coupon", key, **params)


def coupon_for(prop: Property, stay: Stay, code: str) -> Coupon:
    """The coupon with this code, if the stay may use it; InvalidFields on "coupon" saying why."""
    code = normal_code(code)
    coupon = db.session.scalar(select(Coupon).filter_by(code=code))
    if coupon is None:
        raise _refused("coupon_unknown", code=code)
    if not coupon.active:
        raise _refused("coupon_inactive", code=code)
    if coupon.property_id is not None and coupon.property_id != prop.id:
        raise _refused("coupon_other_place", code=code)
    if coupon.valid_from and stay.check_in < coupon.valid_from:
        raise _refused("coupon_not_yet", code=code, first=coupon.valid_from.isoformat())
    if coupon.valid_until and stay.check_in > coupon.valid_until:
        raise _refused("coupon_expired", code=code, last=coupon.valid_until.isoformat())
    if coupon.used_up:
        raise _refused("coupon_used_up", code=code)
    return coupon


def use_coupon(prop: Property, stay: Stay, code: str) -> Coupon | None:
    """Judge the coupon and count one use, inside the booking's write transaction; None for "".

    The conditional UPDATE has the last word: of bookings racing for a coupon's last use,
    one counts it and the others find no row to update and fail, storing nothing.
    """
    if not code:
        return None
    coupon = coupon_for(prop, stay, code)
    counted = db.session.execute(
        update(Coupon)
        .where(
            Coupon.id == coupon.id,
            Coupon.active.is_(True),
            or_(Coupon.max_uses.is_(None), Coupon.uses < Coupon.max_uses),
        )
        .values(uses=Coupon.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not counted:
        db.session.refresh(coupon)
        raise _refused("coupon_used_up" if coupon.active else "coupon_inactive", code=coupon.code)
    return coupon
