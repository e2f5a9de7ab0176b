"""Every host account hears of each new and each cancelled reservation."""

import pytest

from tests.helpers import outbox, parts

HOSTS = ["owner@example.com", "cohost@example.com"]


@pytest.fixture
def hosts(runner) -> list[str]:
    for address in HOSTS:
        result = runner.invoke(
            args=["host", "create", address, "--password-stdin"], input="correct horse\n"
        )
        assert result.exit_code == 0, result.output
    return HOSTS


def host_mail(smtp) -> list:
    return [d for d in smtp.received if "ada@example.com" not in d.rcpt_tos]


def test_every_host_is_told_of_a_new_reservation_and_of_its_cancellation(
    hosts, make_property, future, make_reservation, cancel, run_jobs, smtp
):
    prop = make_property(name="Harbour View")
    stay = make_reservation(
        prop, future(10), future(13), phone="+1 555 0100", message="Late arrival."
    )
    run_jobs()

    # One message to each host, addressed to that host alone.
    told = host_mail(smtp)
    assert sorted(d.rcpt_tos for d in told) == sorted([host] for host in hosts)
    assert sorted(d.message["To"] for d in told) == sorted(hosts)
    for new in told:
        assert stay.code in new.message["Subject"]
        text = parts(new.message)["text/plain"][0].get_content()
        for detail in ("Ada Lovelace", "ada@example.com", "+1 555 0100", "Late arrival."):
            assert detail in text

    cancel(stay)
    run_jobs()

    cancelled = host_mail(smtp)[len(told) :]
    assert sorted(d.rcpt_tos for d in cancelled) == sorted([host] for host in hosts)
    for message in cancelled:
        assert stay.code in message.message["Subject"]
        assert message.message["Subject"].startswith("Cancelled")


def test_no_host_mail_without_a_host_account(future, make_reservation, cancel, run_jobs, smtp):
    cancel(make_reservation(check_in=future(10), check_out=future(13)))
    run_jobs()

    assert [row.kind for row in outbox()] == ["confirmation", "cancellation"]
    assert [d.rcpt_tos for d in smtp.received] == [["ada@example.com"]] * 2
