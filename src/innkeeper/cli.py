"""Command line: `flask --app innkeeper demo | host … | calendar … | reservation … | jobs run`."""

import sys
import time
from functools import wraps

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from .calendars.services import add_feed, change_feed_url, export_link, list_feeds, remove_feed
from .demo import load_demo
from .exceptions import AccountRefused, FeedError, InvalidTransition, NotFound
from .extensions import db
from .host.services import change_password, create_host, find_host, list_hosts
from .jobs import run_due_jobs
from .locales import terminal_language
from .reservations.models import CancelledBy
from .reservations.services import cancel, find_by_code
from .settings.languages import site_locale

host_cli = AppGroup("host", help="Host accounts.")
jobs_cli = AppGroup("jobs", help="Background work: mail, reminders, calendar sync.")
reservation_cli = AppGroup("reservation", help="Reservations, for the host.")
calendar_cli = AppGroup("calendar", help="Other sites' calendars (Airbnb, Booking.com, Vrbo…).")


def in_the_terminals_language(command):
    """Answer in the language the terminal asks for (LANG…), else the site's."""

    @wraps(command)
    def answered(*args, **kwargs):
        with force_locale(terminal_language() or site_locale()):
            return command(*args, **kwargs)

    return answered


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no property.")
@in_the_terminals_language
def demo_command(if_empty: bool):
    """Load the demo properties; running it again changes nothing."""
    added = load_demo(only_if_empty=if_empty)
    if added:
        click.echo(_("Added %(places)s.", places=", ".join(added)))
    else:
        click.echo(_("Demo data already present."))


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
@in_the_terminals_language
def host_create(email: str, password_stdin: bool):
    """Create a host account (a password of 12 characters or more, not a common one)."""
    try:
        host = create_host(email, _password_from_stdin())
    except AccountRefused as error:
        raise click.ClickException(error.message) from None
    click.echo(_("Created host account %(email)s.", email=host.email))


@host_cli.command("passwd")
@click.argument("email")
@PASSWORD_STDIN
@in_the_terminals_language
def host_passwd(email: str, password_stdin: bool):
    """Give a host account a new password (the rules of `host create`); signs it out everywhere."""
    try:
        host = find_host(email)
        change_password(host, _password_from_stdin())
    except AccountRefused as error:
        raise click.ClickException(error.message) from None
    click.echo(
        _(
            "Changed the password of %(email)s; every browser signed in to it is signed out.",
            email=host.email,
        )
    )


@host_cli.command("list")
@in_the_terminals_language
def host_list():
    """List the host accounts, oldest first."""
    hosts = list_hosts()
    for host in hosts:
        click.echo(
            _("%(email)s\tsince %(day)s", email=host.email, day=f"{host.created_at:%Y-%m-%d}")
        )
    if not hosts:
        click.echo(_("No host account yet: add one with `host create EMAIL --password-stdin`."))


@calendar_cli.command("add")
@click.argument("slug")
@click.argument("url")
@click.option("--label", help="A name for the calendar; by default the site's name.")
@in_the_terminals_language
def calendar_add(slug: str, url: str, label: str | None):
    """Subscribe a property to another site's iCalendar feed."""
    try:
        feed = add_feed(slug, url, label)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _(
            "Added calendar feed %(id)s (%(label)s) to %(slug)s. Its events block nights"
            " from the next `jobs run` on.",
            id=feed.id,
            label=feed.label,
            slug=slug,
        )
    )
    click.echo(
        _(
            "Give %(label)s this link to import %(slug)s's calendar; it leaves out what came"
            " from %(label)s: %(link)s",
            label=feed.label,
            slug=slug,
            link=export_link(feed),
        )
    )


@calendar_cli.command("list")
@click.argument("slug", required=False)
@in_the_terminals_language
def calendar_list(slug: str | None):
    """Show each feed: when it was last synced, its events, errors and conflicts."""
    try:
        feeds = list_feeds(slug)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    if not feeds:
        click.echo(_("No calendar feeds."))
    for feed in feeds:
        synced = (
            feed.last_synced_at.strftime("%Y-%m-%d %H:%M UTC")
            if feed.last_synced_at
            else _("never")
        )
        click.echo(f"{feed.id}  {feed.property.slug}  {feed.label}  {feed.url}")
        click.echo(
            "    "
            + _("last synced: %(when)s; events: %(count)s", when=synced, count=feed.event_count)
        )
        click.echo(
            "    " + _("link to give %(label)s: %(link)s", label=feed.label, link=export_link(feed))
        )
        if feed.error:
            click.echo("    " + _("error: %(message)s", message=feed.error_message))
        for line in feed.notice_messages:
            click.echo("    " + _("left out or repeated: %(event)s", event=line))
        for line in feed.conflict_messages:
            click.echo("    " + _("conflict: %(event)s", event=line))


@calendar_cli.command("url")
@click.argument("feed_id", type=int)
@click.argument("url")
@in_the_terminals_language
def calendar_url(feed_id: int, url: str):
    """Point a feed at a new address; its blocks and the link given to that site stay."""
    try:
        feed = change_feed_url(feed_id, url)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _(
            "Calendar feed %(id)s (%(label)s) now reads %(url)s.",
            id=feed.id,
            label=feed.label,
            url=feed.url,
        )
    )


@calendar_cli.command("remove")
@click.argument("feed_id", type=int)
@in_the_terminals_language
def calendar_remove(feed_id: int):
    """Unsubscribe a feed (its id is in `calendar list`); the nights it blocked are free again."""
    try:
        removed = remove_feed(feed_id)
    except FeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        _(
            "Removed calendar feed %(id)s; the nights it blocked are free again"
            " (events removed: %(count)s).",
            id=feed_id,
            count=removed,
        )
    )


@reservation_cli.command("cancel")
@click.argument("code")
@in_the_terminals_language
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
    stay = _(
        "%(place)s, %(check_in)s to %(check_out)s",
        place=reservation.property.name,
        check_in=reservation.check_in,
        check_out=reservation.check_out,
    )
    if cancelled:
        click.echo(
            _(
                "Cancelled %(code)s (%(stay)s); its nights are free again and %(email)s will"
                " be mailed by the next `jobs run`.",
                code=reservation.code,
                stay=stay,
                email=reservation.guest_email,
            )
        )
    else:
        click.echo(
            _(
                "%(code)s (%(stay)s) was already cancelled; nothing changed.",
                code=reservation.code,
                stay=stay,
            )
        )


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
