"""The booking errors, and the one catalogue of what they say to a person."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "check_out_before_check_in": _l("Check-out must be after check-in."),
    "check_in_past": _l("Check-in cannot be in the past (today here is %(today)s)."),
    "too_far_ahead": _l(
        "Bookings open up to %(days)s days ahead: choose a check-out on or before %(latest)s."
    ),
    "min_nights": _l("This place takes stays of at least %(count)s nights."),
    "guests_range": _l("This place sleeps 1 to %(max)s guests."),
    "dates_unavailable": _l(
        "Some of these nights are already taken: %(nights)s. Please choose other dates."
    ),
    "dates_just_taken": _l(
        "Someone has just booked some of these nights. Please choose other dates."
    ),
    "busy": _l("Many guests are booking right now. Please try again in a moment."),
    "stay_started": _l("This stay has already begun and can no longer be cancelled here."),
    "property_not_found": _l("There is no such place to book."),
    "reservation_not_found": _l("No reservation matches this link."),
}


class BookingError(Exception):
    """A booking request that cannot go through; `status` is its HTTP answer."""

    status = 422

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    @staticmethod
    def describe(key: str, **params) -> str:
        return str(MESSAGES[key]) % params

    @property
    def message(self) -> str:
        return self.describe(self.key, **self.params)


class InvalidStay(BookingError):
    """The request breaks the property's rules; `fields` maps form fields to messages."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        Exception.__init__(self, fields)

    @property
    def message(self) -> str:
        return " ".join(message for messages in self.fields.values() for message in messages)


class DatesUnavailable(BookingError):
    status = 409


class StayStarted(BookingError):
    status = 409


class NotFound(BookingError):
    status = 404
