"""Money as a value: an integer number of the currency's smallest unit, never a float."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision


class MoneyError(ValueError):
    """A text that is not an amount of the currency (too many decimals, not a number)."""


def decimals(currency: str) -> int:
    """How many decimals the currency has: USD 2, JPY 0, KWD 3 (Babel's CLDR data)."""
    return get_currency_precision(currency)


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self):
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money needs an integer of minor units, not {self.minor!r}")

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> "Money":
        """A decimal string in the currency's major unit: "120.00", "85", JPY "15000"."""
        try:
            amount = Decimal(text.strip())
        except (InvalidOperation, AttributeError):
            raise MoneyError(f"{text!r} is not an amount") from None
        if not amount.is_finite():
            raise MoneyError(f"{text!r} is not an amount")
        minor = amount.scaleb(decimals(currency))
        if minor != minor.to_integral_value():
            raise MoneyError(f"{currency} has {decimals(currency)} decimals")
        return cls(int(minor), currency)

    @property
    def amount(self) -> Decimal:
        """The amount in the major unit, with exactly the currency's decimals."""
        places = decimals(self.currency)
        return Decimal(self.minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))

    def __str__(self) -> str:
        return str(self.amount)

    def _same(self, other: "Money") -> None:
        if not isinstance(other, Money) or other.currency != self.currency:
            raise TypeError(f"cannot combine {self!r} with {other!r}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def __mul__(self, count: int) -> "Money":
        if not isinstance(count, int):
            raise TypeError("Money multiplies by whole numbers; use percent() for shares")
        return Money(self.minor * count, self.currency)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.minor != 0

    def percent(self, percent: int | Decimal, rounding: str = ROUND_HALF_UP) -> "Money":
        """`percent` % of the amount, rounded to the currency's smallest unit."""
        share = (Decimal(self.minor) * Decimal(percent) / 100).to_integral_value(rounding)
        return Money(int(share), self.currency)

    def format(self, locale: str) -> str:
        return format_currency(self.amount, self.currency, locale=locale)


def total(amounts, currency: str) -> Money:
    """The sum of Money values, zero in `currency` when there are none."""
    result = Money.zero(currency)
    for amount in amounts:
        result += amount
    return result
