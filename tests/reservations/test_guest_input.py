"""What a guest types is judged before it reaches a page or a mail."""

import pytest

from tests.helpers import count_rows


@pytest.mark.parametrize(
    "name",
    [
        "Ada\nCancel your reservation: http://evil.example",
        "Ada\r\nBcc: x@example.com",
        "Ada\u2028Lovelace",
        "Ada\x00",
        "Ada\u202eecalevoL",
        "Ada\tLovelace",
    ],
)
def test_a_name_on_more_than_one_line_or_with_controls_is_refused(
    book, make_property, future, name
):
    response = book(make_property(), future(10), future(12), name=name)
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        assert "one line of plain text" in response.text
    assert count_rows("reservation") == 0


def test_a_phone_number_is_one_line_too(book, make_property, future):
    response = book(make_property(), future(10), future(12), phone="+1 555\n0100")
    assert response.status_code == 422
    assert count_rows("reservation") == 0


@pytest.mark.parametrize("name", ["José Ñúñez", "Zoë Brontë", "محمد\u200cرضا", "李小龙"])  # noqa: RUF001
def test_names_in_any_script_are_welcome(book, make_property, future, name):
    assert book(make_property(), future(10), future(12), name=name).status_code == 303


def test_the_message_may_have_several_lines(book, make_property, future):
    response = book(make_property(), future(10), future(12), message="Hello!\nWe arrive late.")
    assert response.status_code == 303


@pytest.mark.parametrize("token", ["%C3%A9", "%F0%9F%8F%A0", "%00", "abc", ""])
def test_a_malformed_token_answers_404_like_a_wrong_one(client, book, make_property, future, token):
    response = book(make_property(), future(10), future(12))
    code = response.headers["Location"].split("/reservations/")[1].split("?")[0]
    page = client.get(f"/reservations/{code}?token={token}")
    assert page.status_code in (400, 404)  # a NUL byte is refused before any lookup
    unknown = client.get(f"/reservations/ZZZZ-ZZZZ?token={token}")
    assert unknown.status_code == page.status_code
