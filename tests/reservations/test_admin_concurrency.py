"""A booking taken by phone and a guest's booking of the same nights, at once, on gunicorn."""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from innkeeper.availability.services import nights_of
from tests.helpers import (
    AUTH_EMAIL,
    AUTH_PASSWORD,
    booking_form,
    count_rows,
    csrf_token_from,
    hidden_value,
    outbox,
    reservations,
)

WORKERS = 4
ROUNDS = 5


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class _KeepRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: cookies of its own, forms read from the pages it loads."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _KeepRedirects)

    def request(self, path: str, form: dict | None = None) -> Answer:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(Request(self.base_url + path, data=data), timeout=30) as r:
                return Answer(r.status, r.read().decode())
        except HTTPError as error:
            with error:
                return Answer(error.code, error.read().decode())

    def page(self, path: str) -> str:
        answer = self.request(path)
        assert answer.status == 200, (path, answer.status)
        return answer.body


def signed_in_host(url: str) -> Browser:
    host = Browser(url)
    token = csrf_token_from(host.page("/host/login"))
    form = {"csrf_token": token, "email": AUTH_EMAIL, "password": AUTH_PASSWORD}
    assert host.request("/host/login", form).status == 303
    return host


def post_together(barrier: threading.Barrier, browser: Browser, path: str, form: dict) -> Answer:
    barrier.wait(timeout=30)
    return browser.request(path, form)


def test_a_phone_booking_and_a_guest_booking_of_the_same_nights_never_both_win(
    auth, start_server, make_property, future
):
    prop = make_property()
    server = start_server(workers=WORKERS)
    host = signed_in_host(server.url)

    for number in range(ROUNDS):
        check_in, check_out = future(20 + 5 * number), future(23 + 5 * number)
        phone_page = host.page("/host/reservations/new")
        phone_form = {
            **booking_form(check_in, check_out, name="Phone Guest", email="phone@example.com"),
            "property": prop.slug,
            "csrf_token": csrf_token_from(phone_page),
            "submission_key": hidden_value(phone_page, "submission_key"),
        }
        guest = Browser(server.url)
        guest_form = booking_form(
            check_in,
            check_out,
            email="online@example.com",
            csrf_token=csrf_token_from(guest.page(f"/properties/{prop.slug}")),
        )
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            by_phone = pool.submit(post_together, barrier, host, "/host/reservations", phone_form)
            online = pool.submit(
                post_together, barrier, guest, f"/properties/{prop.slug}/reservations", guest_form
            )
            answers = {"phone": by_phone.result(), "online": online.result()}

        assert sorted(a.status for a in answers.values()) == [303, 409], answers
        [winner] = [who for who, answer in answers.items() if answer.status == 303]
        live = [r for r in reservations() if r.check_in == check_in]
        assert [r.guest_email for r in live] == [f"{winner}@example.com"]

    stored = reservations()
    assert len(stored) == ROUNDS
    assert count_rows("night") == sum(len(nights_of(r.check_in, r.check_out)) for r in stored)
    assert len(outbox(kind="confirmation")) == ROUNDS
