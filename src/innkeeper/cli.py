"""Command line: `flask --app innkeeper demo | host create | jobs run`."""

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .demo import load_demo
from .host.services import HostExists, create_host
from .jobs import run_due_jobs

host_cli = AppGroup("host", help="Host accounts.")
jobs_cli = AppGroup("jobs", help="Background work: mail, reminders.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no property.")
def demo_command(if_empty: bool):
    """Load the demo properties; running it again changes nothing."""
    added = load_demo(only_if_empty=if_empty)
    click.echo(f"Added {', '.join(added)}." if added else "Demo data already present.")


@host_cli.command("create")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from one line of standard input.",
)
def host_create(email: str, password_stdin: bool):
    """Create a host account."""
    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        raise click.UsageError("The password must have at least 8 characters.")
    if "@" not in email:
        raise click.UsageError(f"{email!r} is not an e-mail address.")
    try:
        host = create_host(email, password)
    except HostExists:
        raise click.UsageError(f"A host account for {email} already exists.") from None
    click.echo(f"Created host account {host.email}.")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Do the work that is due, then exit.")
def jobs_run(once: bool):
    """Send queued mail, queue due reminders; keeps running unless --once."""
    interval = current_app.config["JOBS_INTERVAL_SECONDS"]
    while True:
        report = run_due_jobs()
        click.echo(report.summary())
        if once:
            return
        time.sleep(interval)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(host_cli)
    app.cli.add_command(jobs_cli)
