"""A request over a real SMTP server: no calendar file until the host accepts, then the
confirmation with the stay, once."""

from innkeeper.properties.models import BookingMode
from innkeeper.reservations.services import accept
from tests.helpers import parts


def test_the_guest_gets_the_calendar_file_only_once_the_host_accepts(
    hosts, make_property, make_reservation, future, run_jobs, smtp
):
    prop = make_property(name="Harbour View", booking_mode=BookingMode.REQUEST)
    request = make_reservation(prop, future(10), future(13))
    run_jobs()

    [received] = smtp.to("ada@example.com")
    assert request.code in received["Subject"]
    assert "text/calendar" not in parts(received)
    for host in hosts:
        [asked] = smtp.to(host)
        text = parts(asked)["text/plain"][0].get_content()
        assert f"http://innkeeper.test/host/reservations/{request.code}" in text

    accept(request)
    run_jobs()
    run_jobs()

    [_, confirmation] = smtp.to("ada@example.com")
    assert request.code in confirmation["Subject"]
    [stay] = parts(confirmation)["text/calendar"]
    assert f"reservation-{request.code}@innkeeper.test" in stay.get_content()
    assert "STATUS:CONFIRMED" in stay.get_content()
    assert len(smtp.received) == 1 + len(hosts) + 1
