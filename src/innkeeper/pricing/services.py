"""Stay rules and the one price(): every quote, booking and page prices through here.

A price, line by line (README, "Prices and rules"):

- each night at its rate: a season's when one holds the night, else the place's; Friday
  and Saturday nights at the weekend rate;
- each guest beyond those the rates include pays the extra-guest fee for each night;
- a stay of 28 nights or more takes the monthly discount, else one of 7 or more the
  weekly one (never both), off the nights and the extra-guest fees;
- the cleaning fee, once;
- a coupon the guest gives: its percentage of all the above (after the long-stay discount,
  cleaning fee included), or its amount, never more than all the above;
- the tax: a percentage of all the above, after the discount, cleaning fee included;
- the tourist tax: an amount per guest and night, outside the percentage tax.

A percentage is taken of the whole amount it applies to, in the currency's smallest
unit, and rounded once to a whole unit, half up (`Money.percent`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..activity.models import ACTIONS
from ..activity.services import changes_between, record
from ..database import lock_property, write_transaction
from ..exceptions import InvalidFields, InvalidStay, NotFound, describe
from ..money import Money, total
from ..properties.models import Property
from ..properties.services import shown
from .models import Coupon, Season, SeasonNight

ACTIONS.update(
    {
        "pricing.updated": _l("changed the prices and rules of"),
        "season.added": _l("added a season to"),
        "season.deleted": _l("removed a season of"),
    }
)

FRIDAY, SATURDAY = 4, 5
WEEK_NIGHTS, MONTH_NIGHTS = 7, 28
# A season covers at most a year, so that its nights stay a few hundred rows.
SEASON_MAX_NIGHTS = 366


@dataclass(frozen=True)
class Stay:
    check_in: date
    check_out: date
    guests: int

    @property
    def nights(self) -> list[date]:
        return [self.check_in + timedelta(days=i) for i in range(self.length)]

    @property
    def length(self) -> int:
        """Number of nights, counted without listing them (a request may span centuries)."""
        return (self.check_out - self.check_in).days


def season_on(prop: Property, night: date) -> Season | None:
    """The place's season that holds the night, if any."""
    return next((season for season in prop.seasons if season.holds(night)), None)


def check_stay(prop: Property, stay: Stay, today: date) -> None:
    """Raise InvalidStay with every rule the stay breaks, by form field."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, key: str, **params) -> None:
        errors.setdefault(field, []).append(describe(key, **params))

    if stay.check_out <= stay.check_in:
        fail("check_out", "check_out_before_check_in")
    else:
        earliest, latest = prop.booking_window(today)
        if stay.check_in < today:
            fail("check_in", "check_in_past", today=today.isoformat())
        elif stay.check_in < earliest:
            fail("check_in", "advance_notice", earliest=earliest.isoformat())
        if stay.check_out - timedelta(days=1) > latest:
            fail(
                "check_out",
                "too_far_ahead",
                days=prop.booking_horizon_days,
                latest=(latest + timedelta(days=1)).isoformat(),
            )
        season = season_on(prop, stay.check_in)
        if season and season.min_nights:
            if stay.length < season.min_nights:
                fail(
                    "check_out",
                    "season_min_nights",
                    start=season.start_date.isoformat(),
                    last=season.last_night.isoformat(),
                    count=season.min_nights,
                )
        elif stay.length < prop.min_nights:
            fail("check_out", "min_nights", count=prop.min_nights)
        if stay.length > prop.max_nights:
            fail("check_out", "max_nights", count=prop.max_nights)
    if not 1 <= stay.guests <= prop.max_guests:
        fail("guests", "guests_range", max=prop.max_guests)
    if errors:
        raise InvalidStay(errors)


@dataclass(frozen=True)
class PriceLine:
    """One line of a price, of a `kind` the page names.

    Kinds: "nights" (`quantity` nights at the rate `unit`); "extra_guests" and
    "tourist_tax" (`quantity` guests for `nights` nights at `unit` each); "weekly_discount"
    and "monthly_discount" (a negative `amount`, `percent` off) and "tax" (`percent` of
    the stay); "cleaning_fee"; "coupon" (a negative `amount`, the coupon's `code`, and its
    `percent` when it takes one).
    """

    kind: str
    amount: Money
    quantity: int = 1
    unit: Money | None = None
    nights: int | None = None
    percent: Decimal | None = None
    code: str | None = None

    def to_record(self) -> dict:
        record = {
            "kind": self.kind,
            "quantity": self.quantity,
            "unit_minor": self.unit.minor if self.unit else None,
            "amount_minor": self.amount.minor,
        }
        if self.nights is not None:
            record["nights"] = self.nights
        if self.percent is not None:
            record["percent"] = str(self.percent)  # a decimal string, never a float
        if self.code is not None:
            record["code"] = self.code
        return record

    @classmethod
    def from_record(cls, record: dict, currency: str) -> "PriceLine":
        unit = record.get("unit_minor")
        percent = record.get("percent")
        return cls(
            kind=record["kind"],
            amount=Money(record["amount_minor"], currency),
            quantity=record.get("quantity", 1),
            unit=Money(unit, currency) if unit is not None else None,
            nights=record.get("nights"),
            percent=Decimal(percent) if percent is not None else None,
            code=record.get("code"),
        )


@dataclass(frozen=True)
class Quote:
    """A priced stay: its lines, in the order a guest reads them, and their total."""

    currency: str
    lines: tuple[PriceLine, ...]

    @property
    def total(self) -> Money:
        return total((line.amount for line in self.lines), self.currency)

    def to_records(self) -> list[dict]:
        """The lines as a reservation keeps them, so its price never changes afterwards."""
        return [line.to_record() for line in self.lines]

    @classmethod
    def from_records(cls, records: list[dict], currency: str) -> "Quote":
        return cls(currency, tuple(PriceLine.from_record(r, currency) for r in records))


def nightly_rate(prop: Property, night: date, season: Season | None = None) -> Money:
    """Friday and Saturday nights take the weekend rate; a season's rates replace the place's."""
    rates = season or prop
    return rates.weekend_rate if night.weekday() in (FRIDAY, SATURDAY) else rates.nightly_rate


def seasons_of(prop: Property, stay: Stay) -> dict[date, Season]:
    """The season of each night of the stay that has one."""
    by_night = {}
    for season in prop.seasons:
        first = max(season.start_date, stay.check_in)
        for i in range((min(season.end_date, stay.check_out) - first).days):
            by_night[first + timedelta(days=i)] = season
    return by_night


def nightly_rates(prop: Property, start: date, end: date) -> dict[date, Money]:
    """The rate of each night of [start, end) as price() charges it: season, weekend."""
    span = Stay(start, end, 1)
    by_night = seasons_of(prop, span)
    return {night: nightly_rate(prop, night, by_night.get(night)) for night in span.nights}


def season_min_nights(prop: Property, start: date, end: date) -> dict[date, int]:
    """Nights of [start, end) whose season asks for its own shortest stay, as check_stay()
    judges a stay starting on them."""
    by_night = seasons_of(prop, Stay(start, end, 1))
    return {night: season.min_nights for night, season in by_night.items() if season.min_nights}


def long_stay_discount(prop: Property, nights: int) -> tuple[str, Decimal] | None:
    """The monthly discount from 28 nights, else the weekly one from 7, as (kind, percent)."""
    if nights >= MONTH_NIGHTS and prop.monthly_discount:
        return "monthly_discount", prop.monthly_discount
    if nights >= WEEK_NIGHTS and prop.weekly_discount:
        return "weekly_discount", prop.weekly_discount
    return None


def coupon_line(coupon: Coupon, accommodation: Money) -> PriceLine:
    """The coupon's discount off the accommodation: never more than the accommodation."""
    if coupon.percent_off is not None:
        discount = accommodation.percent(coupon.percent_off)
    else:
        discount = min(coupon.amount_off, accommodation)
    return PriceLine("coupon", -discount, percent=coupon.percent_off, code=coupon.code)


def price(prop: Property, stay: Stay, coupon: Coupon | None = None) -> Quote:
    """The price of the stay under the place's current rates and rules, less the coupon;
    rules of a stay (dates, party size) and whether the coupon may be used are not judged
    here."""
    by_night = seasons_of(prop, stay)
    nights_by_rate: dict[Money, int] = {}
    for night in stay.nights:
        rate = nightly_rate(prop, night, by_night.get(night))
        nights_by_rate[rate] = nights_by_rate.get(rate, 0) + 1
    lines = [
        PriceLine("nights", rate * count, quantity=count, unit=rate)
        for rate, count in nights_by_rate.items()
    ]
    extra_guests = stay.guests - prop.guests_included
    if extra_guests > 0 and prop.extra_guest_fee:
        fee = prop.extra_guest_fee
        lines.append(
            PriceLine(
                "extra_guests",
                fee * extra_guests * stay.length,
                quantity=extra_guests,
                unit=fee,
                nights=stay.length,
            )
        )
    if discount := long_stay_discount(prop, stay.length):
        kind, percent = discount
        nightly = total((line.amount for line in lines), prop.currency)
        lines.append(PriceLine(kind, -nightly.percent(percent), percent=percent))
    if prop.cleaning_fee:
        lines.append(PriceLine("cleaning_fee", prop.cleaning_fee))
    if coupon is not None:
        lines.append(coupon_line(coupon, total((line.amount for line in lines), prop.currency)))
    if prop.tax_percent:
        taxed = total((line.amount for line in lines), prop.currency)
        lines.append(PriceLine("tax", taxed.percent(prop.tax_percent), percent=prop.tax_percent))
    if prop.tourist_tax:
        lines.append(
            PriceLine(
                "tourist_tax",
                prop.tourist_tax * stay.guests * stay.length,
                quantity=stay.guests,
                unit=prop.tourist_tax,
                nights=stay.length,
            )
        )
    return Quote(prop.currency, tuple(lines))


# --- the host's changes -----------------------------------------------------------------

RULES = (
    "weekly_discount",
    "monthly_discount",
    "guests_included",
    "extra_guest_fee",
    "tax_percent",
    "tourist_tax",
    "advance_notice_days",
    "booking_horizon_days",
    "preparation_days",
)


def _shown_rules(prop: Property) -> dict:
    shown_rules = {name: shown(getattr(prop, name)) for name in RULES}
    for name in ("weekly_discount", "monthly_discount", "tax_percent"):
        shown_rules[name] += " %"
    return shown_rules


def update_rules(prop: Property, values: dict) -> Property:
    """Change the place's discounts, fees, taxes and booking rules; new quotes take them."""
    notice = values.get("advance_notice_days", prop.advance_notice_days)
    horizon = values.get("booking_horizon_days", prop.booking_horizon_days)
    if notice >= horizon:
        raise InvalidFields.on("advance_notice_days", "notice_beyond_horizon", days=horizon)
    with write_transaction():
        before = _shown_rules(prop)
        for name, value in values.items():
            setattr(prop, name, value)
        if changes := changes_between(before, _shown_rules(prop)):
            record("pricing.updated", prop.name, property_id=prop.id, changes=changes)
    return prop


def _shown_season(season: Season) -> dict:
    return {
        "start": season.start_date.isoformat(),
        "end": season.end_date.isoformat(),
        "nightly_rate": shown(season.nightly_rate),
        "weekend_rate": shown(season.weekend_rate),
        "min_nights": shown(season.min_nights),
    }


def add_season(
    prop: Property,
    start: date,
    end: date,
    nightly_rate: Money,
    weekend_rate: Money | None = None,
    min_nights: int | None = None,
) -> Season:
    """A season of [start, end) at its own rates (weekend: the nightly one unless given).

    InvalidFields when the dates are out of order, too far apart, or share a night with
    another season of the place: judged under the place's lock, and refused by the
    database's season nights all the same.
    """
    if end <= start:
        raise InvalidFields.on("end", "season_end_before_start")
    if (end - start).days > SEASON_MAX_NIGHTS:
        raise InvalidFields.on("end", "season_too_long", count=SEASON_MAX_NIGHTS)
    with write_transaction() as session:
        lock_property(prop.id)
        other = session.scalar(
            select(Season)
            .where(Season.property_id == prop.id, Season.start_date < end, start < Season.end_date)
            .limit(1)
        )
        if other is not None:
            raise _overlap(other)
        season = Season(
            property=prop,
            start_date=start,
            end_date=end,
            nightly_rate_minor=nightly_rate.minor,
            weekend_rate_minor=(weekend_rate or nightly_rate).minor,
            min_nights=min_nights,
        )
        session.add(season)
        session.flush()
        nights = [start + timedelta(days=i) for i in range((end - start).days)]
        try:
            session.execute(
                insert(SeasonNight),
                [{"property_id": prop.id, "night": n, "season_id": season.id} for n in nights],
            )
        except IntegrityError:
            # Only a writer that skipped the lock gets here: the database has the last word.
            raise InvalidFields.on("start", "season_just_added") from None
        record(
            "season.added",
            prop.name,
            property_id=prop.id,
            changes=changes_between({}, _shown_season(season)),
        )
    return season


def _overlap(other: Season) -> InvalidFields:
    return InvalidFields.on(
        "start",
        "season_overlap",
        start=other.start_date.isoformat(),
        last=other.last_night.isoformat(),
    )


def get_season(prop: Property, season_id: int) -> Season:
    """The place's season with this id; NotFound (404) otherwise."""
    season = next((s for s in prop.seasons if s.id == season_id), None)
    if season is None:
        raise NotFound("season_unknown")
    return season


def delete_season(prop: Property, season_id: int) -> None:
    """Remove the season: its nights take the place's own rates again. Gone already: nothing."""
    with write_transaction() as session:
        lock_property(prop.id)
        season = session.get(Season, season_id)
        if season is None or season.property_id != prop.id:
            return
        shown_before = _shown_season(season)
        session.delete(season)  # its nights go with it (ON DELETE CASCADE)
        record(
            "season.deleted",
            prop.name,
            property_id=prop.id,
            changes={name: [value, ""] for name, value in shown_before.items() if value},
        )
