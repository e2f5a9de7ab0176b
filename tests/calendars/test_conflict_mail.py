"""The hosts hear of a calendar conflict at once: one mail for each new one."""

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from innkeeper import create_app
from innkeeper.availability.services import block_nights
from innkeeper.calendars.models import CalendarFeed
from innkeeper.calendars.services import sync_feeds
from innkeeper.extensions import db
from innkeeper.host.services import create_host
from innkeeper.mail.models import OutboxMessage
from innkeeper.properties.models import Property
from innkeeper.settings.models import SiteSettings
from innkeeper.web import render_block
from tests.helpers import all_day, base_config, ics


def conflict_mail() -> list[OutboxMessage]:
    query = select(OutboxMessage).filter_by(kind="host_calendar_conflict").order_by("id")
    return list(db.session.scalars(query))


def test_a_new_conflict_is_mailed_to_every_host_once(
    make_property, subscribe, feed_server, make_reservation, future
):
    create_host("first@example.com", "a long password")
    create_host("second@example.com", "a long password")
    prop = make_property(name="Seashell House")
    reservation = make_reservation(prop, future(20), future(23))
    subscribe(prop, ics(all_day("double", future(21), future(25))))

    sync_feeds()

    first, second = conflict_mail()
    assert (first.recipients, second.recipients) == (["first@example.com"], ["second@example.com"])
    mail = first
    assert mail.subject == "Calendar conflict at Seashell House"
    assert f"{future(21)}, {future(22)} already taken by reservation" in mail.text_body
    assert reservation.code in mail.text_body
    assert reservation.code in mail.html_body

    # The same conflict on the next sync: the hosts know already.
    sync_feeds()
    assert len(conflict_mail()) == 2

    # Another event on the stay's nights is news.
    feed_server.serve(
        f"/{prop.slug}.ics",
        ics(all_day("double", future(21), future(25)), all_day("x", future(20), future(21))),
    )
    sync_feeds()
    assert len(conflict_mail()) == 4


def test_thousands_of_conflicts_are_summed_up_in_the_mail_and_on_the_dashboard(
    client, auth, make_property, subscribe, future
):
    prop = make_property(name="Seashell House")
    block_nights(prop, future(1), future(400), note="Closed for the season")
    events = [all_day(f"event-{i}", future(1 + i % 390), future(2 + i % 390)) for i in range(2000)]
    subscribe(prop, ics(*events))

    assert sync_feeds().conflicts == 2000

    [mail] = conflict_mail()
    assert len(mail.text_body) + len(mail.html_body) < 10_000
    assert "2000 events of the calendar 127.0.0.1 want nights already taken" in mail.text_body
    assert mail.text_body.count("already taken by a block of the host") == 5
    assert "…and 1995 more." in mail.text_body
    feed_page = f"/host/properties/{prop.slug}/calendars"
    assert f"http://innkeeper.test{feed_page}#feed-" in mail.text_body
    assert f'href="http://innkeeper.test{feed_page}#feed-' in mail.html_body

    auth.login()
    html = client.get("/host/").get_data(as_text=True)
    assert len(html) < 20_000
    assert "2000 events want nights already taken here" in html
    assert html.count("already taken by a block of the host") == 5
    assert "…and 1995 more" in html
    every_conflict = client.get(feed_page).get_data(as_text=True)
    assert every_conflict.count("already taken by a block of the host") == 2000


def test_a_feed_without_conflict_mails_nothing(make_property, subscribe, future):
    create_host("host@example.com", "a long password")
    prop = make_property()
    subscribe(prop, ics(all_day("a", future(30), future(33))))
    sync_feeds()
    assert conflict_mail() == []


CONFLICTS = [
    {
        "event": "Airbnb: Reserved",
        "start": "2031-07-05",
        "end": "2031-07-09",
        "nights": ["2031-07-05", "2031-07-06"],
        "holders": [{"reservation": "K7QX-2MPD"}],
    },
    {
        "event": "Airbnb: Not available",
        "start": "2031-08-01",
        "end": "2031-08-03",
        "nights": ["2031-08-01"],
        "holders": [{"host": True}],
    },
]
CONFLICT_LINES = [
    "Airbnb: Reserved (2031-07-05 to 2031-07-09): 2031-07-05, 2031-07-06 already taken"
    " by reservation K7QX-2MPD",
    "Airbnb: Not available (2031-08-01 to 2031-08-03): 2031-08-01 already taken by a block"
    " of the host",
]

CONFLICT_MAIL = (
    "Subject: Calendar conflict at Seashell House\n"
    "\n"
    "2 events of the calendar Airbnb want nights already taken at Seashell House:\n"
    "\n"
    f"- {CONFLICT_LINES[0]}\n"
    f"- {CONFLICT_LINES[1]}\n"
    "\n"
    "Nothing was cancelled and those nights stay as they are here: settle it with the guests.\n"
    "\n"
    "Other sites' calendars: http://innkeeper.test/host/\n"
    "\n"
    # The signature separator keeps its trailing space.
    "-- \nSent by Innkeeper.\n"
)


def test_conflict_mail_text(tmp_path):
    """Subject and text body as the outbox stores them, with fixed dates."""
    app = create_app(base_config(tmp_path, "sqlite://"))
    feed = CalendarFeed(label="Airbnb", property=Property(name="Seashell House"))
    context = {
        "feed": feed,
        "count": len(CONFLICTS),
        "conflicts": CONFLICTS,
        "link": "http://innkeeper.test/host/",
        "site": SiteSettings.defaults(),
    }
    # No database here: the language is given, as the outbox gives each mail its own.
    with app.app_context(), force_locale("en"):
        name = "email/host_calendar_conflict.txt"
        subject = render_block(name, "subject", **context).strip()
        body = render_template(name, **context).strip()
    assert f"Subject: {subject}\n\n{body}\n" == CONFLICT_MAIL
