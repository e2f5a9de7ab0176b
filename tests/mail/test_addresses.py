"""Addresses beyond ASCII: a domain goes out in its ASCII (IDNA) form; letters beyond ASCII
before the @ need SMTPUTF8, which we cannot count on, so the booking form refuses them."""

import re

import pytest

from innkeeper.mail.models import OutboxMessage
from tests.helpers import count_rows, outbox, reservations

UNREACHABLE = "We cannot send mail to an address with accented or non-Latin letters before the @."


@pytest.mark.parametrize("address", ["Zoë@bücher.example", "δοκιμή@παράδειγμα.δοκιμή"])
def test_letters_beyond_ascii_before_the_at_are_refused_beside_the_email_field(
    make_property, future, book, address
):
    response = book(make_property(), future(10), future(12), email=address)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    beside_email = re.search(r'<ul class="errors" id="email-errors">(.*?)</ul>', html, re.S)
    assert beside_email, "no message beside the e-mail field"
    assert UNREACHABLE in beside_email[1]
    assert f'value="{address}"' in html
    assert count_rows("reservation") == 0
    assert count_rows("outbox_message") == 0


@pytest.mark.parametrize(
    ("address", "sent_to"),
    [
        ("zoe@bücher.example", "zoe@xn--bcher-kva.example"),
        ("zoe@παράδειγμα.δοκιμή", "zoe@xn--hxajbheg2az3al.xn--jxalpdlp"),
    ],
)
def test_a_domain_beyond_ascii_is_mailed_in_its_ascii_form(
    make_property, future, book, run_jobs, smtp, address, sent_to
):
    response = book(make_property(), future(10), future(12), email=address)
    assert response.status_code == 303

    run_jobs()

    [row] = outbox()
    assert row.status == OutboxMessage.SENT
    [delivery] = smtp.received
    assert delivery.rcpt_tos == [sent_to]
    assert delivery.message["To"] == sent_to
    # The guest's own spelling is what the host sees.
    assert reservations()[0].guest_email == address


def test_a_sender_whose_domain_is_beyond_ascii_sends_from_its_ascii_form(
    app, make_reservation, run_jobs, smtp
):
    app.config["MAIL_DEFAULT_SENDER"] = "Zoë's Inn <stays@bücher.example>"
    make_reservation()

    run_jobs()

    [delivery] = smtp.received
    assert delivery.mail_from == "stays@xn--bcher-kva.example"
    [sender] = delivery.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Zoë's Inn", "stays@xn--bcher-kva.example")


def test_a_message_to_an_address_mail_cannot_reach_fails_alone_saying_why(
    make_reservation, run_jobs, smtp
):
    # Past the booking form, as the address of a host account could be.
    make_reservation(email="Zoë@bücher.example")
    make_reservation(email="ada@example.com")

    run_jobs()

    rows = {row.recipients[0]: row for row in outbox()}
    unreachable = rows["Zoë@bücher.example"]
    assert unreachable.status == OutboxMessage.FAILED
    assert "beyond ASCII before the @" in unreachable.last_error
    assert rows["ada@example.com"].status == OutboxMessage.SENT
    assert [d.rcpt_tos for d in smtp.received] == [["ada@example.com"]]
