from flask_babel import format_date
from flask_babel import gettext as _

from ..ics import all_day_event, new_calendar
from ..web import site_domain


def stay_calendar(reservation, url: str) -> bytes:
    """The guest's stay, to add to their own calendar; once cancelled, the notice that
    takes the same event (UID) out of it again (iTIP's CANCEL, RFC 5546). Its words are
    in the current locale: the mail renders it in the guest's."""
    cal = new_calendar(method="PUBLISH" if reservation.holds_nights else "CANCEL")
    name = reservation.property.listing.name
    event = all_day_event(
        f"reservation-{reservation.code}@{site_domain()}",
        f"{name} ({reservation.code})",
        reservation.check_in,
        reservation.check_out,
    )
    event.add("url", url)
    about = _(
        "Your stay at %(place)s, reservation %(code)s: from %(check_in)s to %(check_out)s.",
        place=name,
        code=reservation.code,
        check_in=format_date(reservation.check_in, "full"),
        check_out=format_date(reservation.check_out, "full"),
    )
    event.add("description", f"{about}\n{url}")
    # Calendar apps apply the cancellation only as a newer version of the event.
    event.add("sequence", 0 if reservation.holds_nights else 1)
    event.add("status", "CONFIRMED" if reservation.holds_nights else "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()
