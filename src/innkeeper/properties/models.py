from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import available_timezones

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship, validates

from ..clock import today_in, utcnow
from ..extensions import db
from ..locales import DEFAULT
from ..money import Money

# The furthest ahead, in days after its today, that any place opens its calendar; also
# each place's default booking horizon.
BOOKING_HORIZON_DAYS = 365


def last_bookable_night(today: date) -> date:
    """The last night any place may open: its booking horizon is at most this far."""
    return today + timedelta(days=BOOKING_HORIZON_DAYS)


def booking_window(today: date, advance_notice_days: int, horizon_days: int) -> tuple[date, date]:
    """The first and the last night a new stay may take: after the notice, within the horizon."""
    return today + timedelta(days=advance_notice_days), today + timedelta(days=horizon_days)


# The amenities a host ticks, in the order guests see them; icons share the key.
AMENITIES = {
    "wifi": _l("Wi-Fi"),
    "kitchen": _l("Kitchen"),
    "parking": _l("Free parking"),
    "washer": _l("Washing machine"),
    "air_conditioning": _l("Air conditioning"),
    "heating": _l("Heating"),
    "workspace": _l("Desk to work at"),
    "tv": _l("TV"),
    "pool": _l("Pool"),
    "garden": _l("Garden or terrace"),
    "bbq": _l("Barbecue"),
    "sea_view": _l("Sea view"),
    "crib": _l("Cot for a baby"),
    "pets": _l("Pets welcome"),
    "step_free": _l("Step-free entrance"),
}


class BookingMode(StrEnum):
    """How a guest's booking of the place becomes a stay."""

    INSTANT = "instant"  # confirmed at once
    REQUEST = "request"  # held until the host accepts or declines it


def _money(column: str):
    """A Money view of an integer column of minor units, in the property's currency."""

    def get(self) -> Money:
        return Money(getattr(self, column), self.currency)

    def set_(self, value: Money) -> None:
        if value.currency != self.currency:
            raise ValueError(f"{self.slug} is priced in {self.currency}, not {value.currency}")
        setattr(self, column, value.minor)

    return property(get, set_)


# Percentages are kept as whole thousandths of a percent: 5.875 % is 5875.
PERCENT_SCALE = 1000


def _percent(column: str):
    """A Decimal percentage view of an integer column of thousandths of a percent."""

    def get(self) -> Decimal:
        return Decimal(getattr(self, column)) / PERCENT_SCALE

    def set_(self, value: Decimal) -> None:
        scaled = Decimal(value) * PERCENT_SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than three decimals")
        setattr(self, column, int(scaled))

    return property(get, set_)


# The host's words about a place, which a translation may give in another language.
TRANSLATED_FIELDS = ("name", "description", "amenities_note", "house_rules", "arrival_instructions")


@dataclass(frozen=True)
class Listing:
    """A place's words in the language asked for, each field from its translation when
    it has one, else the original; `languages` tells which language each came in."""

    locale: str
    name: str
    description: str
    amenities_note: str
    house_rules: str
    arrival_instructions: str
    languages: dict[str, str]

    def fallback(self, field: str) -> str | None:
        """The language of a field shown in the original instead (for `lang=`), else None."""
        language = self.languages[field]
        return language if language != self.locale else None


class Property(db.Model):
    """A place to rent. Amounts are kept in the smallest unit of `currency` (cents; yen)."""

    __table_args__ = (
        CheckConstraint("nightly_rate_minor >= 0", name="nightly_rate_not_negative"),
        CheckConstraint("weekend_rate_minor >= 0", name="weekend_rate_not_negative"),
        CheckConstraint("cleaning_fee_minor >= 0", name="cleaning_fee_not_negative"),
        CheckConstraint("min_nights >= 1", name="min_nights_positive"),
        CheckConstraint("max_guests >= 1", name="max_guests_positive"),
        CheckConstraint("booking_mode IN ('instant', 'request')", name="known_booking_mode"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_its_own_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    nightly_rate_minor: Mapped[int]
    weekend_rate_minor: Mapped[int]
    cleaning_fee_minor: Mapped[int] = mapped_column(default=0)
    min_nights: Mapped[int] = mapped_column(default=1)
    # The longest stay one booking may take: no single request closes a season.
    max_nights: Mapped[int] = mapped_column(default=30, server_default="30")
    max_guests: Mapped[int]
    # Prices and rules (pricing/): discounts for long stays, guests beyond those the rate
    # includes, taxes, and when a stay may be booked.
    weekly_discount_millipercent: Mapped[int] = mapped_column(default=0, server_default="0")
    monthly_discount_millipercent: Mapped[int] = mapped_column(default=0, server_default="0")
    guests_included: Mapped[int] = mapped_column(default=2, server_default="2")
    # Per night, for each guest beyond guests_included.
    extra_guest_fee_minor: Mapped[int] = mapped_column(default=0, server_default="0")
    tax_millipercent: Mapped[int] = mapped_column(default=0, server_default="0")
    # Per guest and night.
    tourist_tax_minor: Mapped[int] = mapped_column(default=0, server_default="0")
    # No check-in sooner than this many days after the place's today.
    advance_notice_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # The last night is at most this many days after the place's today.
    booking_horizon_days: Mapped[int] = mapped_column(
        default=BOOKING_HORIZON_DAYS, server_default=str(BOOKING_HORIZON_DAYS)
    )
    # Nights kept free between a stay and any other taken night, to prepare the place.
    preparation_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # Payments and cancellation (payments/): the share of the total due at booking, when
    # the balance is due, and what a guest who cancels is owed back.
    deposit_percent: Mapped[int] = mapped_column(default=100, server_default="100")
    balance_due_days: Mapped[int] = mapped_column(default=14, server_default="14")
    free_cancellation_days: Mapped[int] = mapped_column(default=14, server_default="14")
    late_refund_percent: Mapped[int] = mapped_column(default=0, server_default="0")
    published: Mapped[bool] = mapped_column(default=True)
    booking_mode: Mapped[BookingMode] = mapped_column(
        Enum(
            BookingMode,
            native_enum=False,
            create_constraint=False,
            length=16,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=BookingMode.INSTANT,
        server_default=BookingMode.INSTANT.value,
    )
    # Shown to everyone ("Old town, Lisbon"); the street address only to booked guests.
    area: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    amenities_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    house_rules: Mapped[str] = mapped_column(Text, default="", server_default="")
    check_in_time: Mapped[time] = mapped_column(default=time(15), server_default="15:00:00")
    check_out_time: Mapped[time] = mapped_column(default=time(11), server_default="11:00:00")
    # How booked guests reach the host: a phone number, an address, a name.
    host_contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How to get in (keys, door codes, parking), for booked guests: their page and the
    # mail PRE_ARRIVAL_DAYS before check-in.
    arrival_instructions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A unit (a room of an inn) is a place of its own, grouped under the place it is part
    # of; one level only. A place cannot go while it has units: the service says so, and
    # the key (no ON DELETE action) refuses to delete a row that units still name.
    # The language the host wrote the place's words in: guests whose language has no
    # translation of a field read it in this one.
    locale: Mapped[str] = mapped_column(String(16), default=DEFAULT, server_default=DEFAULT)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("property.id"), index=True)
    # Deleted places stay as records of their past stays, hidden everywhere.
    deleted_at: Mapped[datetime | None]
    # Bumped by database triggers whenever a night of this property is taken or freed,
    # so a rendered calendar can be reused until it changes.
    availability_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Property | None"] = relationship(remote_side=[id], back_populates="all_units")
    # Deleted units included: see `units`.
    all_units: Mapped[list["Property"]] = relationship(
        back_populates="parent", order_by=lambda: Property.name
    )

    translations: Mapped[dict[str, "Translation"]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    nightly_rate = _money("nightly_rate_minor")
    # Friday and Saturday nights.
    weekend_rate = _money("weekend_rate_minor")
    cleaning_fee = _money("cleaning_fee_minor")
    extra_guest_fee = _money("extra_guest_fee_minor")
    tourist_tax = _money("tourist_tax_minor")
    weekly_discount = _percent("weekly_discount_millipercent")
    monthly_discount = _percent("monthly_discount_millipercent")
    tax_percent = _percent("tax_millipercent")

    @validates("timezone")
    def _known_timezone(self, _key: str, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"Unknown timezone {value!r}; use an IANA name like Europe/Lisbon.")
        return value

    @property
    def amenity_labels(self) -> list[tuple[str, str]]:
        """(key, label) of the ticked amenities, in the fixed order."""
        return [(key, str(label)) for key, label in AMENITIES.items() if key in self.amenities]

    @property
    def units(self) -> list["Property"]:
        """The place's units, published or not; deleted ones are gone."""
        return [unit for unit in self.all_units if unit.deleted_at is None]

    @property
    def has_units(self) -> bool:
        """A place with units is booked unit by unit, never as a whole."""
        return bool(self.units)

    @property
    def published_units(self) -> list["Property"]:
        """The units guests see on the place's page."""
        return [unit for unit in self.units if unit.published]

    @property
    def lowest_unit_rate(self) -> Money | None:
        """The lowest nightly rate of the published units, in the place's currency when a
        unit is priced in it (amounts in two currencies do not compare)."""
        rates = [unit.nightly_rate for unit in self.published_units]
        if not rates:
            return None
        currencies = {rate.currency for rate in rates}
        currency = self.currency if self.currency in currencies else rates[0].currency
        return min((r for r in rates if r.currency == currency), key=lambda rate: rate.minor)

    def listing_in(self, locale: str) -> Listing:
        """The place's words for a reader of `locale`, field by field."""
        translation = self.translations.get(locale) if locale != self.locale else None
        texts, languages = {}, {}
        for field in TRANSLATED_FIELDS:
            translated = getattr(translation, field, "") if translation else ""
            texts[field] = translated or getattr(self, field)
            languages[field] = locale if translated else self.locale
        return Listing(locale=locale, languages=languages, **texts)

    @property
    def listing(self) -> Listing:
        """The place's words in the language the page or mail is being rendered in."""
        return self.listing_in(str(get_locale() or self.locale))

    def local_today(self, moment: datetime | None = None) -> date:
        """Today in the property's timezone: the date its nights are counted in."""
        return today_in(self.timezone, moment)

    def booking_window(self, today: date) -> tuple[date, date]:
        """The first and the last night a new stay may take, counted from the place's today."""
        return booking_window(today, self.advance_notice_days, self.booking_horizon_days)

    def __repr__(self) -> str:
        return f"<Property {self.slug}>"


class Translation(db.Model):
    """The host's words about a place in another language than its own; an empty field
    leaves guests the original."""

    __tablename__ = "property_translation"
    __table_args__ = (UniqueConstraint("property_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    amenities_note: Mapped[str] = mapped_column(Text, default="")
    house_rules: Mapped[str] = mapped_column(Text, default="")
    arrival_instructions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def texts(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in TRANSLATED_FIELDS}


class FormerSlug(db.Model):
    """An address a place had before it was renamed: its old links and feeds redirect."""

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id", ondelete="CASCADE"))
