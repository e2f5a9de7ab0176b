"""Stay rules and the one price(): every quote, booking and page prices through here."""

from dataclasses import dataclass
from datetime import date, timedelta

from ..exceptions import InvalidStay, describe
from ..money import Money, total
from ..properties.models import BOOKING_HORIZON_DAYS, Property, last_bookable_night

FRIDAY, SATURDAY = 4, 5


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


def check_stay(prop: Property, stay: Stay, today: date) -> None:
    """Raise InvalidStay with every rule the stay breaks, by form field."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, key: str, **params) -> None:
        errors.setdefault(field, []).append(describe(key, **params))

    if stay.check_out <= stay.check_in:
        fail("check_out", "check_out_before_check_in")
    else:
        if stay.check_in < today:
            fail("check_in", "check_in_past", today=today.isoformat())
        latest = last_bookable_night(today)
        if stay.check_out - timedelta(days=1) > latest:
            fail(
                "check_out",
                "too_far_ahead",
                days=BOOKING_HORIZON_DAYS,
                latest=(latest + timedelta(days=1)).isoformat(),
            )
        if stay.length < prop.min_nights:
            fail("check_out", "min_nights", count=prop.min_nights)
        elif stay.length > prop.max_nights:
            fail("check_out", "max_nights", count=prop.max_nights)
    if not 1 <= stay.guests <= prop.max_guests:
        fail("guests", "guests_range", max=prop.max_guests)
    if errors:
        raise InvalidStay(errors)


@dataclass(frozen=True)
class PriceLine:
    """One line of a price: `quantity` times `unit` makes `amount`, of a `kind` the page names.

    Kinds: "nights" (nights at one rate), "cleaning_fee".
    """

    kind: str
    amount: Money
    quantity: int = 1
    unit: Money | None = None

    def to_record(self) -> dict:
        return {
            "kind": self.kind,
            "quantity": self.quantity,
            "unit_minor": self.unit.minor if self.unit else None,
            "amount_minor": self.amount.minor,
        }

    @classmethod
    def from_record(cls, record: dict, currency: str) -> "PriceLine":
        unit = record.get("unit_minor")
        return cls(
            kind=record["kind"],
            amount=Money(record["amount_minor"], currency),
            quantity=record.get("quantity", 1),
            unit=Money(unit, currency) if unit is not None else None,
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


def nightly_rate(prop: Property, night: date) -> Money:
    """Friday and Saturday nights take the weekend rate."""
    return prop.weekend_rate if night.weekday() in (FRIDAY, SATURDAY) else prop.nightly_rate


def price(prop: Property, stay: Stay) -> Quote:
    """The price of the stay under the property's current rates; rules are not judged here."""
    nights_by_rate: dict[Money, int] = {}
    for night in stay.nights:
        rate = nightly_rate(prop, night)
        nights_by_rate[rate] = nights_by_rate.get(rate, 0) + 1
    lines = [
        PriceLine("nights", rate * count, quantity=count, unit=rate)
        for rate, count in nights_by_rate.items()
    ]
    if prop.cleaning_fee:
        lines.append(PriceLine("cleaning_fee", prop.cleaning_fee))
    return Quote(prop.currency, tuple(lines))
