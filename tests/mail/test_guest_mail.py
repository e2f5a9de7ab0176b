"""What the guest receives: the confirmation with its calendar file, and the cancellation."""

from datetime import date
from urllib.parse import urlsplit

from icalendar import Calendar

from tests.helpers import outbox, parts


def calendar_of(message) -> Calendar:
    [attachment] = parts(message)["text/calendar"]
    assert attachment.get_content_disposition() == "attachment"
    return Calendar.from_ical(attachment.get_payload(decode=True))


def test_booking_mails_the_guest_a_confirmation_with_the_stay_as_a_calendar_file(
    make_property, future, make_reservation, run_jobs, smtp
):
    prop = make_property(name="Harbour View")
    check_in, check_out = future(10), future(13)
    stay = make_reservation(prop, check_in, check_out, email="ada@example.com")

    run_jobs()

    [delivery] = smtp.received
    assert delivery.rcpt_tos == ["ada@example.com"]
    message = delivery.message
    assert message["To"] == "ada@example.com"
    assert stay.code in message["Subject"]
    by_type = parts(message)
    assert len(by_type["text/plain"]) == 1
    assert len(by_type["text/html"]) == 1
    [attachment] = by_type["text/calendar"]
    assert attachment.get_filename() == f"{stay.code}.ics"
    [event] = calendar_of(message).walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is date
    assert start == check_in
    assert type(end) is date
    assert end == check_out
    assert str(event["uid"]) == f"reservation-{stay.code}@innkeeper.test"


def test_confirmation_links_to_the_guests_reservation_page(
    client, make_reservation, run_jobs, smtp
):
    stay = make_reservation()
    run_jobs()

    [message] = [d.message for d in smtp.received]
    text = parts(message)["text/plain"][0].get_content()
    [link] = [word for word in text.split() if word.startswith("http://innkeeper.test/")]
    url = urlsplit(link)
    page = client.get(f"{url.path}?{url.query}")
    assert page.status_code == 200
    assert stay.code in page.get_data(as_text=True)
    assert f'href="{link}"' in parts(message)["text/html"][0].get_content()


def test_names_beyond_ascii_survive_in_subject_body_and_calendar_file(
    make_property, future, make_reservation, run_jobs, smtp
):
    prop = make_property(name="Casa São João ☀")
    stay = make_reservation(prop, future(10), future(12), name="Zoë Ødegård")
    run_jobs()

    [message] = [d.message for d in smtp.received]
    assert message["Subject"] == f"Your stay at Casa São João ☀ is booked: {stay.code}"
    assert "Hello Zoë Ødegård," in parts(message)["text/plain"][0].get_content()
    [event] = calendar_of(message).walk("VEVENT")
    assert str(event["summary"]) == f"Casa São João ☀ ({stay.code})"


def test_the_calendar_part_names_its_charset_method_and_file(
    make_property, future, make_reservation, cancel, run_jobs, smtp
):
    prop = make_property(name="Casa São João ☀")
    stay = make_reservation(prop, future(10), future(12))
    cancel(stay)
    run_jobs()

    messages = smtp.to("ada@example.com")
    assert len(messages) == 2
    for message, method in zip(messages, ("PUBLISH", "CANCEL"), strict=True):
        [attachment] = parts(message)["text/calendar"]
        assert attachment.get_content_charset() == "utf-8"
        # The part's method is the calendar's own, as RFC 6047 asks.
        assert attachment.get_param("method") == str(calendar_of(message)["method"]) == method
        assert attachment.get_filename() == f"{stay.code}.ics"
        # Read with the charset the part declares, the place's name is intact.
        assert f"SUMMARY:Casa São João ☀ ({stay.code})" in attachment.get_content()


def test_cancelling_mails_the_guest_with_the_code_and_the_same_calendar_event_cancelled(
    future, make_reservation, cancel, run_jobs, smtp
):
    stay = make_reservation(check_in=future(10), check_out=future(13), email="ada@example.com")
    run_jobs()
    [confirmation] = smtp.to("ada@example.com")

    cancel(stay)
    run_jobs()

    [_, cancellation] = smtp.to("ada@example.com")
    assert cancellation["To"] == "ada@example.com"
    assert stay.code in cancellation["Subject"]
    assert "cancelled" in cancellation["Subject"]
    [booked_event] = calendar_of(confirmation).walk("VEVENT")
    [cancelled_event] = calendar_of(cancellation).walk("VEVENT")
    assert cancelled_event["uid"] == booked_event["uid"]
    assert cancelled_event["status"] == "CANCELLED"
    assert cancelled_event["sequence"] > booked_event["sequence"]
    assert str(calendar_of(cancellation)["method"]) == "CANCEL"


def test_cancelling_twice_mails_the_guest_once(future, make_reservation, cancel, run_jobs, smtp):
    stay = make_reservation(check_in=future(10), check_out=future(13))
    cancel(stay, times=2)
    run_jobs()

    assert [row.kind for row in outbox()] == ["confirmation", "cancellation"]
    assert len(smtp.received) == 2
