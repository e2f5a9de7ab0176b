"""The host's dashboard: the week's comings and goings, occupancy, what needs attention."""

from datetime import date

import pytest
from sqlalchemy import update

from innkeeper.availability.services import block_nights
from innkeeper.database import write_transaction
from innkeeper.mail.models import OutboxMessage
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel


@pytest.fixture
def dashboard(client, auth, time_machine):
    """The dashboard as a signed-in host sees it on 2031-03-01."""
    time_machine.move_to("2031-03-01 12:00Z", tick=False)
    auth.login()
    return lambda: client.get("/host/").get_data(as_text=True)


def test_arrivals_and_departures_of_the_week_soonest_first(
    dashboard, make_property, make_reservation
):
    prop = make_property(name="Pine Cabin")
    make_reservation(prop, date(2031, 3, 6), date(2031, 3, 10), name="Later Guest")
    make_reservation(prop, date(2031, 3, 2), date(2031, 3, 4), name="Sooner Guest")
    make_reservation(prop, date(2031, 3, 20), date(2031, 3, 22), name="Next Month Guest")
    html = dashboard()
    arrivals = html[html.index("Arriving this week") : html.index("Leaving this week")]
    departures = html[html.index("Leaving this week") : html.index("The next 30 days")]
    assert arrivals.index("Sooner Guest") < arrivals.index("Later Guest")
    assert "Sooner Guest" in departures
    assert "Later Guest" not in departures  # leaves on the 10th, after the week
    assert "Next Month Guest" not in html


def test_a_cancelled_stay_is_neither_arriving_nor_leaving(
    dashboard, make_property, make_reservation
):
    reservation = make_reservation(make_property(), date(2031, 3, 2), name="Gone Guest")
    cancel(reservation, CancelledBy.GUEST)
    assert "Gone Guest" not in dashboard()


def test_occupancy_counts_booked_and_closed_nights_of_the_next_30_days(
    dashboard, make_property, make_reservation
):
    prop = make_property(name="Pine Cabin")
    make_reservation(prop, date(2031, 3, 1), date(2031, 3, 7))  # 6 nights
    make_reservation(prop, date(2031, 3, 28), date(2031, 4, 5))  # 3 of them in the window
    block_nights(prop, date(2031, 3, 10), date(2031, 3, 12))
    html = dashboard()
    assert '<progress max="30" value="9"' in html
    assert "30% booked" in html
    assert "2 nights closed" in html


def test_failed_mail_asks_for_attention(dashboard, make_property, make_reservation):
    make_reservation(make_property())
    assert "Needs your attention" not in dashboard()
    with write_transaction() as session:
        session.execute(update(OutboxMessage).values(status=OutboxMessage.FAILED))
    html = dashboard()
    assert "Needs your attention" in html
    assert "could not be sent" in html
    assert 'href="/host/mail?status=failed"' in html


def test_a_site_without_places_invites_the_host_to_add_one(dashboard):
    html = dashboard()
    assert "Add your first place" in html
    assert 'href="/host/properties/new"' in html
