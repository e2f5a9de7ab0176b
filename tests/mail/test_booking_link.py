"""The link "find my booking" mails reaches the guest over SMTP and opens their page."""

import re

from tests.helpers import GuestLink, csrf_token_from


def test_the_mailed_link_opens_the_guests_page(client, make_reservation, run_jobs, smtp):
    stay = make_reservation()
    page = client.get("/reservations/find")
    form = {"csrf_token": csrf_token_from(page.text), "code": stay.code, "email": "ada@example.com"}
    client.post("/reservations/find", data=form, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    run_jobs()

    [mail] = [d.message for d in smtp.received if d.message["Subject"].startswith("The link")]
    assert mail["To"] == "ada@example.com"
    assert stay.code in mail["Subject"]
    url = re.search(r"http://\S+\?token=\S+", mail.get_body(("plain",)).get_content())[0]
    link = GuestLink.parse(url)
    assert link == GuestLink.of(stay)
    assert client.get(link.page).status_code == 200
