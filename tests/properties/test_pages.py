"""Property pages, the month calendar and the quote: full pages and htmx fragments."""

import calendar as stdlib_calendar
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from innkeeper.photos.models import Photo
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import cancel
from tests.helpers import (
    HX,
    booking_form,
    calendar_availability,
    csrf_token_from,
    days_in,
    month_of,
    quote_url,
)


def travel_to(time_machine, day: date) -> None:
    """Make `day` today, at noon UTC, the clock standing still."""
    time_machine.move_to(datetime.combine(day, time(12), tzinfo=UTC), tick=False)


def test_property_page_shows_description_photos_calendar_and_form(client, make_property):
    prop = make_property(
        name="Dune Cottage",
        description="Sand and sea.",
        photos=[
            Photo(static_src="photos/seashell-house.svg", alt="The cottage", width=640, height=400)
        ],
    )
    response = client.get(f"/properties/{prop.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Dune Cottage</h1>" in html
    assert "Sand and sea." in html
    assert re.search(
        r'src="/static/photos/seashell-house\.[0-9a-f]{10}\.svg" alt="The cottage"', html
    )
    today = prop.local_today()
    assert f'data-date="{today.isoformat()}"' in html
    assert 'name="csrf_token"' in html
    assert f'action="/properties/{prop.slug}/reservations"' in html


def test_unknown_property_is_a_friendly_404(client):
    response = client.get("/properties/nowhere")
    assert response.status_code == 404
    assert "There is no such place to book." in response.get_data(as_text=True)


@pytest.mark.parametrize("months_ahead", [0, 1, 2])
def test_calendar_marks_every_day_of_the_month(client, make_property, time_machine, months_ahead):
    # The last day of a year, before a leap February: months of 31, 31 and 29 days.
    travel_to(time_machine, date(2031, 12, 31))
    prop = make_property()
    first = prop.local_today().replace(day=1)
    for _ in range(months_ahead):
        first = (first + timedelta(days=32)).replace(day=1)
    response = client.get(f"/properties/{prop.slug}/calendar?month={month_of(first)}", headers=HX)
    days = days_in(response.get_data(as_text=True))
    length = stdlib_calendar.monthrange(first.year, first.month)[1]
    assert sorted(days) == [(first + timedelta(days=i)).isoformat() for i in range(length)]


def test_calendar_fragment_and_full_page_share_one_url(client, make_property):
    prop = make_property()
    url = f"/properties/{prop.slug}/calendar?month={month_of(prop.local_today())}"
    fragment = client.get(url, headers=HX)
    page = client.get(url)
    assert "<html" not in fragment.get_data(as_text=True)
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="calendar"')
    assert "<html" in page.get_data(as_text=True)
    assert days_in(fragment.get_data(as_text=True)) == days_in(page.get_data(as_text=True))
    for response in (fragment, page):
        assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_full_page(client, make_property):
    prop = make_property()
    url = f"/properties/{prop.slug}/calendar"
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        assert "<html" in client.get(url, headers={**HX, **extra}).get_data(as_text=True)


def test_calendar_links_to_previous_and_next_month_without_javascript(client, make_property):
    prop = make_property()
    html = client.get(f"/properties/{prop.slug}/calendar?month=2031-01").get_data(as_text=True)
    for month in ("2030-12", "2031-02"):
        url = f"/properties/{prop.slug}/calendar?month={month}"
        assert f'href="{url}" data-hx-get="{url}"' in html


@pytest.mark.parametrize(
    "today",
    [
        date(2031, 3, 10),  # mid-month
        date(2031, 3, 1),  # yesterday is in another month
        date(2031, 1, 30),  # the stay's nights run into the next month
        date(2031, 12, 31),  # and into the next year
        date(2032, 2, 29),  # a leap day: the horizon falls on 28 February
    ],
    ids=str,
)
def test_taken_past_and_too_far_nights_are_unavailable(
    client, make_property, make_reservation, time_machine, today
):
    travel_to(time_machine, today)
    prop = make_property()
    assert prop.local_today() == today
    make_reservation(prop, today + timedelta(days=3), today + timedelta(days=5))
    for offset in range(7):
        day = today + timedelta(days=offset)
        assert calendar_availability(client, prop, day) is (offset not in (3, 4)), day
    assert calendar_availability(client, prop, today - timedelta(days=1)) is False
    horizon = today + timedelta(days=365)
    assert calendar_availability(client, prop, horizon) is True
    assert calendar_availability(client, prop, horizon + timedelta(days=1)) is False


@pytest.mark.parametrize("month", ["2031-13", "31-01", "2031-1", "garbage", "1999-12"])
def test_a_malformed_month_is_422_with_a_readable_reason(client, make_property, month):
    prop = make_property()
    response = client.get(f"/properties/{prop.slug}/calendar?month={month}")
    assert response.status_code == 422
    assert "YYYY-MM" in response.get_data(as_text=True)


def test_quote_gives_total_and_currency(client, make_property, future):
    prop = make_property(
        currency="EUR", nightly_rate_minor=8500, weekend_rate_minor=8500, cleaning_fee_minor=0
    )
    response = client.get(quote_url(prop, future(10), future(13)), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-total="255.00" data-currency="EUR"' in html
    assert "<html" not in html


def test_quote_full_page_keeps_the_typed_dates_in_the_form(client, make_property, future):
    prop = make_property()
    response = client.get(quote_url(prop, future(10), future(13)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert "data-total=" in html
    assert f'value="{future(10).isoformat()}"' in html


def test_quote_of_taken_nights_is_409_with_the_nights(
    client, make_property, make_reservation, future
):
    prop = make_property()
    make_reservation(prop, future(10), future(12))
    for headers in (HX, {}):
        response = client.get(quote_url(prop, future(11), future(14)), headers=headers)
        assert response.status_code == 409
        assert future(11).isoformat() in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("check_in={d12}&check_out={d10}&guests=2", "Check-out must be after check-in."),
        ("check_in={past}&check_out={d10}&guests=2", "cannot be in the past"),
        ("check_in={far}&check_out={far2}&guests=2", "365 days ahead"),
        ("check_in={d10}&check_out={d12}&guests=0", "sleeps 1 to 4"),
        ("check_in={d10}&check_out={d12}&guests=9", "sleeps 1 to 4"),
        ("check_in=tomorrow&check_out={d12}&guests=2", "YYYY-MM-DD"),
        ("check_out={d12}&guests=2", "Choose a check-in date."),
        ("check_in={d10}&check_out={d12}&guests=two", "integer"),
    ],
)
def test_invalid_quote_is_422_with_a_reason(client, make_property, future, query, reason):
    prop = make_property()
    values = {
        "d10": future(10),
        "d12": future(12),
        "past": future(-2),
        "far": future(366),
        "far2": future(368),
    }
    response = client.get(f"/properties/{prop.slug}/quote?" + query.format(**values), headers=HX)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)


def test_invalid_request_on_taken_nights_is_422(client, make_property, make_reservation, future):
    prop = make_property()
    make_reservation(prop, future(10), future(14))
    response = client.get(quote_url(prop, future(11), future(13), guests=9))
    assert response.status_code == 422


def test_min_nights_applies_to_quotes(client, make_property, future):
    prop = make_property(min_nights=2)
    assert client.get(quote_url(prop, future(10), future(11))).status_code == 422
    assert client.get(quote_url(prop, future(10), future(12))).status_code == 200


def test_home_links_each_published_property(client, make_property):
    first = make_property(name="Alpha")
    second = make_property(name="Beta")
    html = client.get("/").get_data(as_text=True)
    assert f'href="/properties/{first.slug}"' in html
    assert f'href="/properties/{second.slug}"' in html


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_calendar_and_quote_fragments_set_no_cookie(app, make_property, future):
    prop = make_property()
    fresh = app.test_client()
    for url in (
        f"/properties/{prop.slug}/calendar?month={month_of(prop.local_today())}",
        quote_url(prop, future(10), future(12)),
    ):
        response = fresh.get(url, headers=HX)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url


def test_the_calendar_fragment_changes_as_soon_as_nights_are_taken_or_freed(
    client, make_property, make_reservation, future
):
    prop = make_property()
    day = prop.local_today() + timedelta(days=40)
    url = f"/properties/{prop.slug}/calendar?month={month_of(day)}"

    def state():
        response = client.get(url, headers=HX)
        assert response.status_code == 200
        return days_in(response.get_data(as_text=True))[day.isoformat()], response.headers["ETag"]

    free, first_etag = state()
    assert free is True
    assert state() == (True, first_etag)
    reservation = make_reservation(prop, day, day + timedelta(days=2))
    taken, second_etag = state()
    assert taken is False
    assert second_etag != first_etag

    cancel(reservation, CancelledBy.GUEST)
    freed, third_etag = state()
    assert freed is True
    assert third_etag not in (first_etag, second_etag)


def test_a_browser_with_the_current_calendar_gets_304(
    client, make_property, make_reservation, future
):
    prop = make_property()
    url = f"/properties/{prop.slug}/calendar?month={month_of(future(40))}"
    etag = client.get(url, headers=HX).headers["ETag"]
    again = client.get(url, headers={**HX, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    make_reservation(prop, future(40), future(42))
    changed = client.get(url, headers={**HX, "If-None-Match": etag})
    assert changed.status_code == 200
    assert "data-date" in changed.get_data(as_text=True)


def test_the_calendar_fragment_of_an_unknown_place_is_404(client):
    assert client.get("/properties/nowhere/calendar", headers=HX).status_code == 404


def test_a_quote_reaching_the_year_9999_is_422(client, make_property, future):
    prop = make_property()
    response = client.get(quote_url(prop, future(10), "9999-12-31"), headers=HX)
    assert response.status_code == 422
    assert "365 days ahead" in response.get_data(as_text=True)


def test_the_price_button_without_javascript_posts_and_keeps_the_details(
    client, make_property, future
):
    prop = make_property()
    token = csrf_token_from(client.get(f"/properties/{prop.slug}").get_data(as_text=True))
    form = booking_form(future(10), future(12), csrf_token=token, name="Grace Hopper")
    response = client.post(f"/properties/{prop.slug}/quote", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-total=" in html
    assert 'value="Grace Hopper"' in html
    assert (
        client.post(f"/properties/{prop.slug}/quote", data={**form, "guests": "9"}).status_code
        == 422
    )
    del form["csrf_token"]
    assert client.post(f"/properties/{prop.slug}/quote", data=form).status_code == 400


def test_prices_follow_each_currency_s_decimals(client, make_property, future):
    yen = make_property(
        currency="JPY", nightly_rate_minor=12000, weekend_rate_minor=12000, cleaning_fee_minor=0
    )
    html = client.get(quote_url(yen, future(10), future(12)), headers=HX).get_data(as_text=True)
    assert 'data-total="24000" data-currency="JPY"' in html
    assert "¥24,000" in html
