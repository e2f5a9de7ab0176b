""" "Find my booking": a code and an e-mail mail the private link again, with the same answer
whether or not they match, a limit per client address and a few mails per reservation."""

import pytest

from tests.helpers import GuestLink, csrf_token_from, outbox

GUEST = {"REMOTE_ADDR": "203.0.113.7"}
OTHER_GUEST = {"REMOTE_ADDR": "198.51.100.4"}


@pytest.fixture
def app_overrides(app_overrides) -> dict:
    return {**app_overrides, "FIND_BOOKING_RATE_LIMIT": "6 per hour"}


def ask(client, code: str, email: str, environ=GUEST):
    page = client.get("/reservations/find", environ_base=environ)
    form = {"csrf_token": csrf_token_from(page.text), "code": code, "email": email}
    return client.post("/reservations/find", data=form, environ_base=environ)


def links_mailed() -> list[str]:
    return [m.recipients[0] for m in outbox(kind="booking_link")]


def test_the_answer_is_the_same_for_a_booking_an_unknown_code_and_another_address(
    client, make_reservation
):
    stay = make_reservation(email="Ada@Example.com")
    answers = [
        ask(client, stay.code.lower().replace("-", " "), " ada@EXAMPLE.com "),
        ask(client, "ZZZZ-ZZZZ", "ada@example.com"),
        ask(client, stay.code, "someone@example.com"),
    ]

    assert {(a.status_code, a.headers["Location"], a.data) for a in answers} == {
        (303, "/reservations/find?sent=1", answers[0].data)
    }
    # One mail, to the address the stay was booked with, carrying the link the guest had.
    [message] = outbox(kind="booking_link")
    assert message.recipients == ["Ada@Example.com"]
    assert GuestLink.of(stay).page in message.text_body
    shown = client.get("/reservations/find?sent=1")
    assert "If a booking matches, we have sent its link to that address." in shown.text


def test_an_empty_form_is_refused_with_422_beside_the_fields(client):
    page = client.get("/reservations/find")
    response = client.post(
        "/reservations/find",
        data={"csrf_token": csrf_token_from(page.text), "code": "", "email": "ada@example.com"},
    )
    assert response.status_code == 422
    assert "Enter the code from your confirmation" in response.text
    assert 'value="ada@example.com"' in response.text


def test_a_form_without_its_csrf_token_is_refused_with_400(client, make_reservation):
    stay = make_reservation()
    response = client.post("/reservations/find", data={"code": stay.code, "email": "ada@x.com"})
    assert response.status_code == 400
    assert links_mailed() == []


def test_a_reservation_gets_at_most_three_links_an_hour(client, make_reservation):
    stay = make_reservation()
    for environ in (GUEST, GUEST, OTHER_GUEST, OTHER_GUEST, GUEST):
        assert ask(client, stay.code, "ada@example.com", environ).status_code == 303
    assert links_mailed() == ["ada@example.com"] * 3


@pytest.mark.time_machine("2031-03-03 12:00:00+00:00", tick=False)
def test_an_hour_later_the_reservation_may_have_its_link_again(
    time_machine, client, make_reservation
):
    stay = make_reservation()
    for _ in range(4):
        ask(client, stay.code, "ada@example.com")
    time_machine.shift(3601)
    ask(client, stay.code, "ada@example.com", OTHER_GUEST)
    assert len(links_mailed()) == 4


def test_one_address_asking_too_often_gets_429_and_others_do_not(client, make_reservation):
    stay = make_reservation()
    answers = [ask(client, "ZZZZ-ZZZ" + str(n), "ada@example.com").status_code for n in range(7)]
    assert answers == [303] * 6 + [429]
    refused = ask(client, stay.code, "ada@example.com")
    assert refused.status_code == 429
    assert "You have asked for many booking links from this address" in refused.text
    assert links_mailed() == []
    assert ask(client, stay.code, "ada@example.com", OTHER_GUEST).status_code == 303
    assert links_mailed() == ["ada@example.com"]


def test_the_footer_and_a_broken_reservation_link_lead_to_the_form(client, make_reservation):
    stay = make_reservation()
    assert 'href="/reservations/find"' in client.get("/").text
    broken = client.get(f"/reservations/{stay.code}?token=wrong")
    assert broken.status_code == 404
    assert "No reservation matches this link." in broken.text
    assert broken.text.count('href="/reservations/find"') == 2  # the page's button, the footer
    fragment = client.get(f"/reservations/{stay.code}?token=wrong", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.text
    assert 'href="/reservations/find"' in fragment.text
