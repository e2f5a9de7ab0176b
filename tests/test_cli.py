"""The command line: demo data and host accounts."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from innkeeper.database import write_transaction
from innkeeper.extensions import db
from innkeeper.host.models import Host
from innkeeper.properties.models import Property
from innkeeper.settings.services import update_settings
from tests.helpers import count_rows


def test_demo_loads_the_two_properties_once(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already present" in again.output
    props = {p.slug: p for p in db.session.scalars(select(Property))}
    assert set(props) == {"seashell-house", "lighthouse-loft"}
    seashell = props["seashell-house"]
    assert (seashell.name, seashell.currency, seashell.timezone) == (
        "Seashell House",
        "USD",
        "America/Cancun",
    )
    assert (seashell.nightly_rate_minor, seashell.weekend_rate_minor) == (12000, 15000)
    assert (seashell.cleaning_fee_minor, seashell.min_nights, seashell.max_guests) == (4000, 2, 4)
    loft = props["lighthouse-loft"]
    assert (loft.currency, loft.timezone, loft.nightly_rate_minor, loft.weekend_rate_minor) == (
        "EUR",
        "Europe/Lisbon",
        8500,
        8500,
    )
    assert (loft.cleaning_fee_minor, loft.min_nights, loft.max_guests) == (0, 1, 2)


def test_demo_if_empty_leaves_a_database_with_properties_alone(runner, make_property):
    make_property(slug="own-place")
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert count_rows("property") == 1


def test_demo_restores_only_what_is_missing(runner):
    runner.invoke(args=["demo"])
    db.session.delete(db.session.scalar(select(Property).filter_by(slug="lighthouse-loft")))
    db.session.commit()
    runner.invoke(args=["demo"])
    assert count_rows("property") == 2


def create_host_account(runner, email: str, password: str):
    return runner.invoke(args=["host", "create", email, "--password-stdin"], input=f"{password}\n")


def test_host_create_reads_the_password_from_stdin_and_hashes_it_with_argon2id(runner):
    result = create_host_account(runner, "Owner@Example.com", "s3cret-passphrase")
    assert result.exit_code == 0, result.output
    host = db.session.scalar(select(Host))
    assert host.email == "owner@example.com"
    assert host.password_hash.startswith("$argon2id$")
    assert host.check_password("s3cret-passphrase")
    assert not host.check_password("s3cret-passphrase\n")


def test_host_create_refuses_a_duplicate(runner):
    assert create_host_account(runner, "a@example.com", "long enough now").exit_code == 0
    duplicate = create_host_account(runner, "A@example.com", "another long one")
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    assert count_rows("host") == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x", "at least 12 characters"),
        ("password", "at least 12 characters"),
        (" " * 8, "at least 12 characters"),
        (" " * 14, "at least 12 characters"),
        ("  eleven ch  ", "at least 12 characters"),
        ("qwerty123456", "most common"),
        ("QWERTY123456", "most common"),
        ("Password1234", "most common"),
    ],
)
def test_host_create_refuses_a_short_or_common_password(runner, password, message):
    result = create_host_account(runner, "host@example.com", password)
    assert result.exit_code != 0
    assert message in result.output
    assert count_rows("host") == 0


@pytest.mark.parametrize("email", ["@", "x@y", "host", "host@", "@example.com", "a b@example.com"])
def test_host_create_refuses_what_is_not_an_email_address(runner, email):
    result = create_host_account(runner, email, "a long passphrase")
    assert result.exit_code != 0
    assert "not a usable e-mail address" in result.output
    assert count_rows("host") == 0


def change_host_password(runner, email: str, password: str):
    return runner.invoke(args=["host", "passwd", email, "--password-stdin"], input=f"{password}\n")


def test_host_passwd_gives_the_account_a_new_password(runner):
    create_host_account(runner, "host@example.com", "the first passphrase")
    result = change_host_password(runner, "HOST@example.com", "the second passphrase")
    assert result.exit_code == 0, result.output
    assert "Changed the password of host@example.com" in result.output
    db.session.rollback()
    host = db.session.scalar(select(Host))
    assert host.check_password("the second passphrase")
    assert not host.check_password("the first passphrase")


def test_host_passwd_refuses_a_weak_password_and_an_unknown_account(runner):
    create_host_account(runner, "host@example.com", "the first passphrase")
    weak = change_host_password(runner, "host@example.com", "qwerty123456")
    assert weak.exit_code != 0
    assert "most common" in weak.output
    unknown = change_host_password(runner, "nobody@example.com", "the second passphrase")
    assert unknown.exit_code != 0
    assert "no host account for nobody@example.com" in unknown.output
    db.session.rollback()
    assert db.session.scalar(select(Host)).check_password("the first passphrase")


def test_the_worker_keeps_running_when_a_round_fails(tmp_path):
    """A database without its tables makes every round fail; the worker logs it and waits."""
    env = {
        **os.environ,
        "INNKEEPER_INSTANCE": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/empty.db",
    }
    flask = str(Path(sys.executable).with_name("flask"))
    worker = subprocess.Popen(
        [flask, "--app", "innkeeper", "jobs", "run"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        assert worker.poll() is None, "the worker exited"
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=10)
    assert "Background job 'reminders' failed" in errors

    once = subprocess.run(
        [flask, "--app", "innkeeper", "jobs", "run", "--once"], env=env, capture_output=True
    )
    assert once.returncode == 1
    failed = (
        b"FAILED: requests, reminders, balance reminders, arrival mail, thank-you mail, mail,"
        b" rate limits, host sessions, calendars"
    )
    assert failed in once.stdout


def test_one_failing_job_does_not_stop_the_others(
    app, runner, make_property, make_reservation, future
):
    """Reminders fail on a property whose timezone went bad; the mail still goes out."""
    prop = make_property()
    make_reservation(prop, future(1), future(3))
    with write_transaction() as session:
        session.execute(
            text("UPDATE property SET timezone = 'Mars/Olympus_Mons' WHERE id = :id"),
            {"id": prop.id},
        )
    with app.app_context():
        result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 1
    assert "FAILED: reminders" in result.output
    assert "mail sent: 1" in result.output
    assert [p.name.split("-")[-1] for p in (Path(app.instance_path) / "mail").iterdir()] == [
        "confirmation.eml"
    ]


def test_an_unknown_timezone_is_refused():
    with pytest.raises(ValueError, match="Unknown timezone"):
        Property(timezone="Mars/Olympus_Mons")


NO_TERMINAL_LANGUAGE = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def test_the_command_line_answers_in_the_terminals_language(runner):
    spanish = {**NO_TERMINAL_LANGUAGE, "LANG": "es_ES.UTF-8"}

    created = runner.invoke(
        args=["host", "create", "host@example.com", "--password-stdin"],
        input="a long passphrase\n",
        env=spanish,
    )
    refused = runner.invoke(
        args=["host", "passwd", "nobody@example.com", "--password-stdin"],
        input="a long passphrase\n",
        env=spanish,
    )

    assert created.output == "Se ha creado la cuenta de anfitrión host@example.com.\n"
    assert refused.exit_code != 0
    assert "nobody@example.com" in refused.output and "no host account" not in refused.output


def test_the_command_line_speaks_the_sites_language_to_a_terminal_that_names_none(runner):
    update_settings({"site_name": "Casa Azul", "default_locale": "es"})

    unnamed = runner.invoke(args=["calendar", "list"], env=NO_TERMINAL_LANGUAGE)
    plain = runner.invoke(
        args=["calendar", "list"], env={**NO_TERMINAL_LANGUAGE, "LANG": "C.UTF-8"}
    )
    french = runner.invoke(args=["calendar", "list"], env={**NO_TERMINAL_LANGUAGE, "LANG": "fr_FR"})

    assert unnamed.output == french.output == "No hay calendarios de otros sitios.\n"
    assert plain.output == "No calendar feeds.\n"  # the C locale is English
