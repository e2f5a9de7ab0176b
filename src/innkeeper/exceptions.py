"""The one error family of Innkeeper's services, and the catalogue of what each says.

A service raises `InnkeeperError(key, **params)`; the message is looked up and rendered
only when a person reads it, in their language. Errors kept in the database (a feed's
last error, its conflicts) are stored as the key and its parameters for the same reason.
"""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # Stays and bookings.
    "check_out_before_check_in": _l("Check-out must be after check-in."),
    "check_in_past": _l("Check-in cannot be in the past (today here is %(today)s)."),
    "too_far_ahead": _l(
        "Bookings open up to %(days)s days ahead: choose a check-out on or before %(latest)s."
    ),
    "min_nights": _l("This place takes stays of at least %(count)s nights."),
    "max_nights": _l(
        "A booking here takes at most %(count)s nights; for a longer stay, write to the host."
    ),
    "guests_range": _l("This place sleeps 1 to %(max)s guests."),
    "advance_notice": _l(
        "The host needs notice before a stay: the earliest check-in here is %(earliest)s."
    ),
    "season_min_nights": _l(
        "Stays that begin from %(start)s to %(last)s take at least %(count)s nights."
    ),
    "too_close_to_a_stay": _l(
        "These dates come too close to another stay: the host keeps nights free between stays"
        " to prepare the place (%(count)s before and after each). Please choose other dates."
    ),
    "dates_unavailable": _l(
        "Some of these nights are already taken: %(nights)s. Please choose other dates."
    ),
    "dates_just_taken": _l(
        "Someone has just booked some of these nights. Please choose other dates."
    ),
    "busy": _l("Many guests are booking right now. Please try again in a moment."),
    "stay_started": _l("This stay has already begun and can no longer be cancelled here."),
    # Requests, where the host answers each booking.
    "stay_already_confirmed": _l(
        "This stay is confirmed, not a request waiting for an answer: to call it off, cancel it."
    ),
    "reservation_already_cancelled": _l(
        "This reservation was cancelled (or the guest withdrew the request): there is"
        " nothing to accept or decline."
    ),
    "request_declined": _l(
        "This request was declined: its nights are free again and it can no longer be accepted."
    ),
    "request_expired": _l(
        "This request was not answered in time and has expired: its nights are free again"
        " and it can no longer be accepted or declined."
    ),
    "request_cancelled_by_host": _l(
        "This is a request waiting for your answer: decline it instead of cancelling it."
    ),
    "property_not_found": _l("There is no such place to book."),
    "booked_by_unit_title": _l("This place is booked room by room"),
    "booked_by_unit": _l(
        "%(name)s is booked room by room: choose a room and its dates on the place's page."
    ),
    "reservation_not_found": _l("No reservation matches this link."),
    "stay_not_confirmed": _l(
        "This request is not confirmed yet: its calendar file comes with the confirmation."
    ),
    "reservation_code_unknown": _l("There is no reservation %(code)s."),
    # Payments and refunds.
    "amount_zero": _l("Enter an amount other than zero (a negative one records a refund)."),
    "refund_beyond_paid": _l("A refund can be at most what was paid: %(paid)s."),
    "nothing_to_pay": _l("Nothing is owed for this stay now."),
    "card_payment_unavailable": _l(
        "Card payments cannot be taken right now. Please try again in a few minutes."
    ),
    # The host's places.
    "slug_taken": _l("Another place already has the address /properties/%(slug)s."),
    "slug_format": _l("Use lowercase letters, digits and hyphens, like sea-view-cabin."),
    "property_unknown": _l("There is no place %(slug)s."),
    "language_unknown": _l("The site does not speak the language %(code)s."),
    "translation_is_original": _l(
        "The place is written in %(language)s: change its words on the place's own page."
    ),
    "property_has_upcoming_stays": _l(
        "This place has %(count)s stays still to come; cancel them before deleting it."
    ),
    "property_has_units": _l(
        "This place has rooms or units (%(names)s); delete them, or make them part of no"
        " place, before deleting it."
    ),
    "parent_unknown": _l("There is no place %(slug)s to make this one part of."),
    "parent_is_itself": _l("A place cannot be part of itself."),
    "parent_is_a_unit": _l(
        "%(name)s is itself part of %(parent)s: choose a place that is part of no other."
    ),
    "unit_has_units": _l(
        "This place has rooms or units of its own, so it cannot be part of another place."
    ),
    # The host's prices and rules.
    "season_end_before_start": _l("The season must end after its first night."),
    "season_too_long": _l("A season lasts at most %(count)s nights; add another for the rest."),
    "season_overlap": _l(
        "This season overlaps another one, from %(start)s to %(last)s; seasons cannot share nights."
    ),
    "season_just_added": _l(
        "Another season was just added over some of these nights; reload the page to see it."
    ),
    "season_unknown": _l("There is no such season."),
    "notice_beyond_horizon": _l(
        "The notice must be shorter than how far ahead bookings open (%(days)s days)."
    ),
    # Coupons.
    "coupon_unknown": _l("There is no coupon %(code)s; check the spelling."),
    "coupon_inactive": _l("The coupon %(code)s is no longer offered."),
    "coupon_not_yet": _l("The coupon %(code)s is for arrivals from %(first)s."),
    "coupon_expired": _l("The coupon %(code)s was for arrivals until %(last)s."),
    "coupon_other_place": _l("The coupon %(code)s is not for this place."),
    "coupon_used_up": _l("The coupon %(code)s has been used as many times as it may be."),
    "coupon_code_format": _l(
        "Use 3 to 32 letters, digits and hyphens, like SUMMER-10 (any case: it is kept in"
        " capitals)."
    ),
    "coupon_code_taken": _l("There is already a coupon %(code)s."),
    "coupon_percent_or_amount": _l("Give either a percentage or an amount off, not both."),
    "coupon_percent_range": _l("Give a percentage from 1 to 100."),
    "coupon_amount_needs_place": _l(
        "An amount off is in a place's currency: choose the place it is for."
    ),
    "coupon_amount_positive": _l("Give an amount above zero."),
    "coupon_until_before_from": _l("The last arrival day cannot come before the first."),
    "coupon_unknown_id": _l("There is no such coupon."),
    # The places' photos.
    "photo_too_large": _l(
        "This file is %(size)s MB; a photo may be at most %(max)s MB. Save it smaller"
        " (3000 pixels on the long side is plenty) and upload it again."
    ),
    "photo_not_an_image": _l(
        "This file is not a JPEG, PNG or WebP picture. Save the photo in one of those"
        " formats and upload it again."
    ),
    "photo_unreadable": _l(
        "This picture could not be read to the end: the file may be damaged or only"
        " partly copied. Save it again and upload the new file."
    ),
    "photo_too_many_pixels": _l(
        "This picture has more than %(max)s million pixels. Save it smaller (3000 pixels"
        " on the long side is plenty) and upload it again."
    ),
    "photo_unknown": _l("This place has no such photo; it may have been deleted."),
    # Other sites' calendars.
    "feed_property_unknown": _l("There is no property %(slug)r."),
    "feed_exists": _l("%(slug)s already has this feed."),
    "feed_unknown": _l("There is no calendar feed %(id)s."),
    "feed_export_unknown": _l("This calendar link is not known here (any more)."),
    "feed_scheme": _l(
        "%(url)r is not an http:// or https:// address"
        " (for a webcal:// link, write https:// instead)."
    ),
    "feed_no_host": _l("%(url)r has no host name."),
    "feed_bad_port": _l("%(url)r has an invalid port."),
    "feed_port": _l(
        "%(url)r uses port %(port)s. Feeds are only fetched from ports 80 and 443; set"
        " FEED_ALLOW_PRIVATE=1 to allow other ports."
    ),
    "feed_unresolved": _l("The host %(host)s does not resolve (%(error)s)."),
    "feed_private": _l(
        "%(where)s is a loopback, private or otherwise non-public address. Feeds are only"
        " fetched from public addresses; set FEED_ALLOW_PRIVATE=1 to allow calendars on"
        " your own network."
    ),
    "feed_https_downgrade": _l("The feed redirected from https:// to http://; it is not followed."),
    "feed_http_status": _l("The server answered %(status)s %(reason)s."),
    "feed_timeout": _l("The feed did not download within %(seconds)s seconds."),
    "feed_unreachable": _l("Could not fetch the feed: %(error)s"),
    "feed_redirects": _l("The feed redirected more than %(count)s times."),
    "feed_too_large": _l("The feed is larger than %(bytes)s bytes."),
    "feed_unreadable": _l("The feed is not a readable iCalendar file: %(error)s"),
    "feed_read_timeout": _l(
        "The feed was not downloaded and read within %(seconds)s seconds (%(events)s events"
        " read by then); nothing was changed."
    ),
    "feed_too_many_events": _l(
        "The feed has more than %(count)s events still to come (each occurrence of a"
        " recurring event counts); nothing was changed."
    ),
    "feed_events_unreadable": _l(
        "Events that could not be read were left out (%(count)s in all): %(examples)s"
    ),
    "feed_uids_repeated": _l(
        "Events that share one UID were each imported (%(count)s UIDs in all: %(uids)s). A"
        " UID should name one event: the other site's feed is at fault."
    ),
    "feed_suddenly_empty": _l(
        "The feed came back with no event still to come (none, or only cancelled or past"
        " ones) while %(count)s of its events block nights here; they stay blocked unless"
        " it is still so after %(hours)s hours."
    ),
    "feed_internal_error": _l("Internal error (%(error)s); see the log."),
    "feed_conflict": _l(
        "%(event)s (%(start)s to %(end)s): %(nights)s already taken by %(holders)s"
    ),
    "holder_reservation": _l("reservation %(code)s"),
    "holder_calendar": _l("an event from %(label)s"),
    "holder_host": _l("a block of the host"),
    # Host accounts.
    "host_exists": _l("A host account for %(email)s already exists."),
    "host_unknown": _l("There is no host account for %(email)s."),
    "host_not_found": _l("There is no such host account (it may have been removed)."),
    "last_host": _l("This is the only host account: add another before removing it."),
    "own_account": _l("You cannot remove your own account; another host can."),
    "password_wrong": _l("That is not your current password."),
    "email_invalid": _l("%(email)r is not a usable e-mail address: %(reason)s"),
    "password_too_short": _l(
        "The password must have at least %(count)s characters (spaces at either end do not"
        " count); a few unrelated words make a good one."
    ),
    "password_common": _l(
        "This password is among the most common ones, which are guessed first. Choose another."
    ),
}


def describe(key: str, **params) -> str:
    """The catalogue's message for `key`, in the current language."""
    return str(MESSAGES[key]) % params


class InnkeeperError(Exception):
    """A request a service cannot carry out; `status` is its HTTP answer."""

    status = 422

    def __init__(self, key: str, **params):
        if key not in MESSAGES:
            raise KeyError(f"no message for error {key!r}")
        self.key = key
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:
        return describe(self.key, **self.params)

    def as_record(self) -> dict:
        """The error as it is stored: its key and parameters, rendered when read."""
        return {"key": self.key, "params": self.params}

    def __str__(self) -> str:
        return self.message


def describe_record(record: dict | None) -> str:
    """A stored error record as a message in the current language; "" for none."""
    if not record:
        return ""
    return describe(record["key"], **record.get("params", {}))


class InvalidFields(InnkeeperError):
    """Input a service refuses; `fields` maps form fields to their messages."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        self.key, self.params = "invalid_input", {}
        Exception.__init__(self, fields)

    @classmethod
    def on(cls, field: str, key: str, **params) -> "InvalidFields":
        return cls({field: [describe(key, **params)]})

    @property
    def message(self) -> str:
        return " ".join(message for messages in self.fields.values() for message in messages)


class InvalidStay(InvalidFields):
    """The request breaks the place's rules for a stay."""


class DatesUnavailable(InnkeeperError):
    status = 409


class InvalidTransition(InnkeeperError):
    """The reservation is not in a state that allows this (a stay that has begun, say)."""

    status = 409


class BookedByUnit(InnkeeperError):
    """A place with units takes no booking of its own: each of its units is booked."""

    status = 409


class NotFound(InnkeeperError):
    status = 404


class PaymentProviderError(InnkeeperError):
    """The card payment provider could not be reached or refused the request."""

    status = 503


class FeedError(InnkeeperError):
    """A feed that cannot be added or synced; the message tells the host why."""


class AccountRefused(InnkeeperError):
    """A host account cannot be created, found or given this password; the message says why."""
