"""Command line: `flask --app innkeeper demo | host … | calendar … | reservation … | jobs run`."""

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .calendars.services import add_feed, change_feed_url, export_link, list_feeds, remove_feed
from .demo import load_demo
from .exceptions import AccountRefused, FeedError, InvalidTransition, NotFound
from .extensions import db
from .host.services import change_password, create_host, find_host, list_hosts
from .jobs import run_due_jobs
from .reservations.models import CancelledBy
from .reservations.services import cancel, find_by_code

host_cli = AppGroup("host", help="Host accounts.")
jobs_cli = AppGroup("jobs", help="Background work: mail, reminders, calendar sync.")
reservation_cli = AppGroup("reservation", help="Reservations, for the host.")
calendar_cli = AppGroup("calendar", help="Other sites' calendars (Airbnb, Booking.com, Vrbo…).")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no property.")
def demo_command(if_empty: bool):
    """Load the demo properties; running it again changes nothing."""
    added = load_demo(only_if_empty=if_empty)
    click.echo(f"Added {', '.join(added)}." if added else "Demo data already present.")


PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from one line of standard input.",
)


def _password_from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


@host_cli.command("create")
@click.argument("email")
@PASSWORD_STDIN
def host_create(email: str, password_stdin: bool):
    """Create a host account (a password of 12 characters or more, not a common one)."""
    try:
        host = create_host(email, _password_from_stdin())
    except AccountRefused as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created host account {host.email}.")


@host_cli.command("passwd")
@click.argument("email")
@PASSWORD_STDIN
def host_passwd(email: str, password_stdin: bool):
    """Give a host account a new password (the rules of `host create`); signs it out everywhere."""
    try:
        host = find_host(email)
        change_password(host, _password_from_stdin())
    except AccountRefused as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"Changed the password of {host.email}; every browser signed in to it is signed out."
    )


@host_cli.command("list")
def host_list():
    """List the host accounts, oldest first."""
    hosts = list_hosts()
    for host in hosts:
        click.echo(f"{host.email}\tsince {host.created_at:%Y-%m-%d}")
    if not hosts:
        click.echo("No host account yet: add one with `host create EMAIL --password-stdin`.")


@calendar_cli.command("add")
@click.argument("slug")
@click.argument("url")
@click.option("--label", help="A name for the calendar; by default the site's name.")
def calendar_add(slug: str, url: str, label: str | None):
    """Subscribe a property to another site's iCalendar feed."""
    try:
        feed = add_feed(slug, url, label)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Added calendar feed {feed.id} ({feed.label}) to {slug}. Its events block nights"
        " from the next `jobs run` on."
    )
    click.echo(
        f"Give {feed.label} this link to import {slug}'s calendar; it leaves out what came"
        f" from {feed.label}: {export_link(feed)}"
    )


@calendar_cli.command("list")
@click.argument("slug", required=False)
def calendar_list(slug: str | None):
    """Show each feed: when it was last synced, its events, errors and conflicts."""
    try:
        feeds = list_feeds(slug)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    if not feeds:
        click.echo("No calendar feeds.")
    for feed in feeds:
        synced = (
            feed.last_synced_at.strftime("%Y-%m-%d %H:%M UTC") if feed.last_synced_at else "never"
        )
        click.echo(f"{feed.id}  {feed.property.slug}  {feed.label}  {feed.url}")
        click.echo(f"    last synced: {synced}; events: {feed.event_count}")
        click.echo(f"    link to give {feed.label}: {export_link(feed)}")
        if feed.error:
            click.echo(f"    error: {feed.error_message}")
        for line in feed.notice_messages:
            click.echo(f"    left out or repeated: {line}")
        for line in feed.conflict_messages:
            click.echo(f"    conflict: {line}")


@calendar_cli.command("url")
@click.argument("feed_id", type=int)
@click.argument("url")
def calendar_url(feed_id: int, url: str):
    """Point a feed at a new address; its blocks and the link given to that site stay."""
    try:
        feed = change_feed_url(feed_id, url)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Calendar feed {feed.id} ({feed.label}) now reads {feed.url}.")


@calendar_cli.command("remove")
@click.argument("feed_id", type=int)
def calendar_remove(feed_id: int):
    """Unsubscribe a feed (its id is in `calendar list`); the nights it blocked are free again."""
    try:
        removed = remove_feed(feed_id)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Removed calendar feed {feed_id}; the nights it blocked are free again"
        f" (events removed: {removed})."
    )


@reservation_cli.command("cancel")
@click.argument("code")
def reservation_cancel(code: str):
    """Cancel a stay as the host: its nights are free again and the guest is mailed."""
    try:
        reservation = find_by_code(code)
    except NotFound as error:
        raise click.ClickException(error.message) from None
    try:
        cancelled = cancel(reservation, CancelledBy.HOST)
    except InvalidTransition as error:
        raise click.ClickException(error.message) from None
    stay = f"{reservation.property.name}, {reservation.check_in} to {reservation.check_out}"
    if cancelled:
        click.echo(
            f"Cancelled {reservation.code} ({stay}); its nights are free again and"
            f" {reservation.guest_email} will be mailed by the next `jobs run`."
        )
    else:
        click.echo(f"{reservation.code} ({stay}) was already cancelled; nothing changed.")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Do the work that is due, then exit.")
def jobs_run(once: bool):
    """Send queued mail, queue due reminders, sync calendars; keeps running unless --once.

    --once syncs every calendar feed; the running worker syncs each one every
    FEED_SYNC_INTERVAL_SECONDS.
    """
    interval = current_app.config["JOBS_INTERVAL_SECONDS"]
    while True:
        report = run_due_jobs(all_feeds=once)
        click.echo(report.summary())
        if once:
            if report.failed_steps:
                raise SystemExit(1)
            return
        # A fresh session each round; the worker outlives a bad moment (the database
        # restarting, say) and tries again after the interval.
        db.session.remove()
        time.sleep(interval)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(host_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(reservation_cli)
