"""Coupons: the host offers and withdraws them; quotes and bookings take them off the price."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from innkeeper.activity.models import Activity
from innkeeper.database import write_transaction
from innkeeper.exceptions import InvalidFields
from innkeeper.extensions import db
from innkeeper.money import Money
from innkeeper.pricing.coupons import add_coupon
from innkeeper.pricing.models import Coupon
from innkeeper.pricing.services import Stay, price
from innkeeper.reservations.models import CancelledBy
from innkeeper.reservations.services import Guest, cancel, reserve
from tests.helpers import (
    HX,
    booked,
    csrf_token_from,
    database_snapshot,
    hidden_value,
    outbox,
    reservations,
)

# Today, for every test here: a Monday. The stays below are weekday nights.
TODAY = "2031-03-03 12:00Z"
MONDAY, THURSDAY = date(2031, 3, 10), date(2031, 3, 13)
TIMES = "\N{MULTIPLICATION SIGN}"


@pytest.fixture(autouse=True)
def fixed_today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def cabin(make_property):
    """3 weekday nights at $100.10 and a $40.00 cleaning fee: $340.30."""
    return make_property(
        slug="cabin", name="Cabin", nightly_rate_minor=10010, cleaning_fee_minor=4000
    )


@pytest.fixture
def ryokan(make_property):
    """3 weekday nights at ¥15,005 and a ¥3,000 cleaning fee: ¥48,015."""
    return make_property(
        slug="ryokan",
        name="Ryokan",
        currency="JPY",
        timezone="Asia/Tokyo",
        nightly_rate_minor=15005,
        weekend_rate_minor=15005,
        cleaning_fee_minor=3000,
    )


def stored_coupons() -> list[Coupon]:
    db.session.rollback()
    return list(db.session.scalars(select(Coupon).order_by(Coupon.id)))


def quote(client, prop, coupon: str, headers=None, **args):
    query = {"check_in": MONDAY, "check_out": THURSDAY, "guests": 2, "coupon": coupon, **args}
    response = client.get(f"/properties/{prop.slug}/quote", query_string=query, headers=headers)
    return response.status_code, response.get_data(as_text=True)


def total_of(html: str) -> str:
    start = html.index('data-total="') + len('data-total="')
    return html[start : html.index('"', start)]


# --- the host offers coupons ----------------------------------------------------------


def test_the_places_and_prices_pages_link_to_the_coupons(client, host, cabin):
    assert 'href="/host/coupons"' in client.get("/host/properties").get_data(as_text=True)
    pricing = client.get("/host/properties/cabin/pricing").get_data(as_text=True)
    assert 'href="/host/coupons"' in pricing
    page = client.get("/host/coupons")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("code", "percent_off", "amount_off", "valid_from", "valid_until", "max_uses"):
        assert f'name="{name}"' in html
    assert '<option value="cabin">Cabin</option>' in html
    assert "No coupons yet" in html


def test_coupon_pages_need_a_signed_in_host(client, cabin):
    coupon = add_coupon("SPRING", percent_off=Decimal(10))
    before = database_snapshot()
    assert client.get("/host/coupons").status_code == 302
    assert client.post("/host/coupons", data={"code": "X-1", "percent_off": "5"}).status_code in (
        302,
        400,
    )
    assert client.post(f"/host/coupons/{coupon.id}/deactivate").status_code in (302, 400)
    assert database_snapshot() == before


def test_a_percent_coupon_is_kept_in_capitals_listed_and_logged(client, host, cabin):
    response = host.post(
        "/host/coupons",
        {
            "code": " spring-10 ",
            "percent_off": "12.5",
            "valid_from": "2031-03-01",
            "valid_until": "2031-05-31",
            "max_uses": "20",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/host/coupons"
    [coupon] = stored_coupons()
    assert coupon.code == "SPRING-10"
    assert coupon.percent_off == Decimal("12.5")
    assert (coupon.amount_off_minor, coupon.property_id) == (None, None)
    assert (coupon.valid_from, coupon.valid_until) == (date(2031, 3, 1), date(2031, 5, 31))
    assert (coupon.max_uses, coupon.uses, coupon.active) == (20, 0, True)
    html = client.get("/host/coupons").get_data(as_text=True)
    assert "The coupon SPRING-10 is offered." in html
    assert "SPRING-10" in html and "0 of 20" in html and "Every place" in html
    [entry] = db.session.scalars(select(Activity).filter_by(action="coupon.added")).all()
    assert (entry.subject, entry.actor) == ("SPRING-10", host.email)
    assert entry.changes["percent_off"] == [None, "12.5 %"]


def test_an_amount_coupon_is_in_its_places_currency(client, host, ryokan):
    response = host.post(
        "/host/coupons", {"code": "YEN", "amount_off": "5000", "property": "ryokan"}
    )

    assert response.status_code == 303
    [coupon] = stored_coupons()
    assert (coupon.amount_off_minor, coupon.property_id, coupon.max_uses) == (5000, ryokan.id, None)
    assert "¥5,000" in client.get("/host/coupons").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"percent_off": "10", "amount_off": "20"}, "percent_off", "either a percentage"),
        ({}, "percent_off", "either a percentage"),
        ({"percent_off": "0"}, "percent_off", "from 1 to 100"),
        ({"percent_off": "150"}, "percent_off", "from 0 to 100"),
        ({"percent_off": "ten"}, "percent_off", "like 10 or 7.5"),
        ({"percent_off": "10", "property": "atlantis"}, "property", "no place atlantis"),
        ({"amount_off": "20"}, "amount_off", "choose the place"),
        ({"amount_off": "20.005", "property": "cabin"}, "amount_off", "amount like"),
        ({"amount_off": "0", "property": "cabin"}, "amount_off", "above zero"),
        ({"percent_off": "10", "code": "SUMMER 10!"}, "code", "letters, digits and hyphens"),
        ({"percent_off": "10", "code": "AB"}, "code", "3 to 32"),
        ({"percent_off": "10", "code": "taken"}, "code", "already a coupon TAKEN"),
        (
            {"percent_off": "10", "valid_from": "2031-06-01", "valid_until": "2031-05-31"},
            "valid_until",
            "cannot come before",
        ),
        ({"percent_off": "10", "valid_from": "2031-13-01"}, "valid_from", "YYYY-MM-DD"),
        ({"percent_off": "10", "max_uses": "0"}, "max_uses", "from 1 to"),
    ],
)
def test_a_coupon_to_correct_is_422_with_the_message_beside_its_field(
    client, host, cabin, fields, field, message
):
    add_coupon("TAKEN", percent_off=Decimal(5))
    before = database_snapshot()
    form = {"code": "SUMMER", **fields}

    response = host.post("/host/coupons", form)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = html[html.index(f'id="{field}-errors"') :]
    assert message in errors[: errors.index("</ul>")]
    assert f'value="{form["code"]}"' in html  # what the host typed, shown again
    assert database_snapshot() == before


def test_withdrawing_asks_first_and_a_second_click_changes_nothing(client, host, cabin):
    coupon = add_coupon("GONE", percent_off=Decimal(10))
    confirm = client.get(f"/host/coupons/{coupon.id}/deactivate")
    assert confirm.status_code == 200
    assert "Withdraw the coupon GONE?" in confirm.get_data(as_text=True)
    assert stored_coupons()[0].active

    first = host.post(f"/host/coupons/{coupon.id}/deactivate")
    second = host.post(f"/host/coupons/{coupon.id}/deactivate")

    assert (first.status_code, second.status_code) == (303, 303)
    assert not stored_coupons()[0].active
    withdrawn = select(Activity).filter_by(action="coupon.deactivated")
    assert len(db.session.scalars(withdrawn).all()) == 1
    assert "Withdrawn" in client.get("/host/coupons").get_data(as_text=True)
    # Withdrawn: the confirmation page sends the host back to the list.
    assert client.get(f"/host/coupons/{coupon.id}/deactivate").status_code == 303
    assert client.get("/host/coupons/999/deactivate").status_code == 404


# --- the price, less the coupon -------------------------------------------------------


def test_a_percent_coupon_comes_off_the_stay_rounded_half_up_in_dollars(client, cabin):
    add_coupon("SPRING", percent_off=Decimal("12.5"))

    status, html = quote(client, cabin, "spring")

    assert status == 200
    # 12.5 % of $340.30 is $42.5375: rounded once, half up.
    assert "Coupon SPRING (12.5%)</dt><dd>-$42.54" in html
    assert total_of(html) == "297.76"


def test_taxes_are_counted_after_the_discount_and_the_tourist_tax_stays_whole(
    client, make_property
):
    prop = make_property(
        nightly_rate_minor=10000,
        cleaning_fee_minor=4000,
        tax_millipercent=10_000,
        tourist_tax_minor=200,
    )
    add_coupon("TEN", percent_off=Decimal(10))

    status, html = quote(client, prop, "TEN")

    assert status == 200
    lines = [
        "Cleaning fee</dt><dd>$40.00",
        "Coupon TEN (10%)</dt><dd>-$34.00",
        "Tax (10%)</dt><dd>$30.60",
        f"2 guests {TIMES} $2.00 a night</dt><dd>$12.00",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)
    assert total_of(html) == "348.60"  # 340 - 34 + 30.60 + 12


def test_a_percent_coupon_in_yen_rounds_to_whole_yen(client, ryokan):
    add_coupon("SAKURA", percent_off=Decimal("7.5"))

    status, html = quote(client, ryokan, "SAKURA")

    assert status == 200
    # 7.5 % of ¥48,015 is ¥3,601.125.
    assert "Coupon SAKURA (7.5%)</dt><dd>-¥3,601" in html
    assert 'data-total="44414" data-currency="JPY"' in html


def test_an_amount_coupon_never_takes_the_total_below_zero(client, ryokan, cabin):
    add_coupon("FIFTY", amount_off=Money(5000, "USD"), prop=cabin)
    with write_transaction():
        db.session.get(type(ryokan), ryokan.id).tourist_tax_minor = 100
    add_coupon("FREE", amount_off=ryokan.cleaning_fee * 100, prop=ryokan)

    assert total_of(quote(client, cabin, "FIFTY")[1]) == "290.30"
    status, html = quote(client, ryokan, "FREE")
    assert status == 200
    # ¥300,000 off a ¥48,015 stay takes off ¥48,015; the tourist tax is still owed.
    assert "Coupon FREE</dt><dd>-¥48,015" in html
    assert 'data-total="600"' in html


def test_price_without_a_coupon_is_unchanged(cabin):
    stay = Stay(MONDAY, THURSDAY, 2)
    assert [line.kind for line in price(cabin, stay).lines] == ["nights", "cleaning_fee"]


@pytest.mark.parametrize(
    ("coupon", "reason"),
    [
        ("NOPE", "There is no coupon NOPE"),
        ("WITHDRAWN", "no longer offered"),
        ("LATER", "for arrivals from 2031-04-01"),
        ("OVER", "for arrivals until 2031-03-09"),
        ("ELSEWHERE", "not for this place"),
        ("USEDUP", "used as many times as it may be"),
        ("X" * 33, "at most 32"),
    ],
)
def test_a_coupon_the_stay_may_not_use_is_422_with_the_reason(
    client, cabin, make_property, coupon, reason
):
    other = make_property()
    add_coupon("WITHDRAWN", percent_off=Decimal(10), max_uses=3)
    add_coupon("LATER", percent_off=Decimal(10), valid_from=date(2031, 4, 1))
    add_coupon("OVER", percent_off=Decimal(10), valid_until=date(2031, 3, 9))
    add_coupon("ELSEWHERE", percent_off=Decimal(10), prop=other)
    add_coupon("USEDUP", percent_off=Decimal(10), max_uses=2)
    with write_transaction() as session:
        session.execute(update(Coupon).filter_by(code="WITHDRAWN").values(active=False))
        session.execute(update(Coupon).filter_by(code="USEDUP").values(uses=2))

    for headers in (None, HX):
        status, html = quote(client, cabin, coupon, headers=headers)
        assert status == 422
        assert reason in html
        assert "data-total" not in html
    assert "<html" in quote(client, cabin, coupon)[1]
    assert "<html" not in quote(client, cabin, coupon, headers=HX)[1]


def test_the_window_holds_the_check_in_day_both_ends_included(client, cabin):
    add_coupon("WEEK", percent_off=Decimal(10), valid_from=MONDAY, valid_until=MONDAY)
    assert quote(client, cabin, "WEEK")[0] == 200
    later = {"check_in": THURSDAY, "check_out": date(2031, 3, 14)}
    assert quote(client, cabin, "WEEK", **later)[0] == 422


def test_a_bad_coupon_on_taken_nights_answers_422(client, cabin, make_reservation):
    """The coupon is input: judged before availability, like the dates."""
    make_reservation(cabin, MONDAY, THURSDAY)
    add_coupon("OPEN", percent_off=Decimal(10))
    assert quote(client, cabin, "OPEN")[0] == 409
    status, html = quote(client, cabin, "NOPE")
    assert status == 422
    assert "There is no coupon NOPE" in html


# --- booking with a coupon ------------------------------------------------------------


def test_the_booking_form_has_a_coupon_field_that_travels_with_the_quote(client, cabin):
    page = client.get("/properties/cabin").get_data(as_text=True)
    fieldset = page[page.index('<fieldset class="stay"') : page.index("</fieldset>")]
    assert 'name="coupon"' in fieldset  # inside the fieldset htmx sends for the quote
    add_coupon("SPRING", percent_off=Decimal(10))
    # Without JavaScript, "Show the price" posts the whole form: the code is kept.
    response = client.post(
        "/properties/cabin/quote",
        data={
            "check_in": MONDAY,
            "check_out": THURSDAY,
            "guests": 2,
            "coupon": "spring",
            "name": "Ada",
            "csrf_token": csrf_token_from(page),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Coupon SPRING (10%)" in html
    assert re.search(r'<input [^>]*name="coupon"[^>]* value="spring"', html)


def test_a_booking_with_a_coupon_keeps_the_discount_and_counts_a_use(client, book, host, cabin):
    add_coupon("SPRING", percent_off=Decimal("12.5"), max_uses=5)

    link = booked(book(cabin, MONDAY, THURSDAY, coupon="Spring"))

    [reservation] = reservations()
    assert reservation.code == link.code
    assert reservation.total_minor == 29776
    [line] = [line for line in reservation.quote.lines if line.kind == "coupon"]
    assert (line.code, line.percent, line.amount.minor) == ("SPRING", Decimal("12.5"), -4254)
    assert stored_coupons()[0].uses == 1
    guest_page = client.get(link.page).get_data(as_text=True)
    assert "Coupon SPRING (12.5%)" in guest_page
    host_page = client.get(f"/host/reservations/{link.code}").get_data(as_text=True)
    assert "Coupon SPRING (12.5%)</dt><dd>-$42.54" in host_page
    csv = client.get("/host/reservations.csv").get_data(as_text=True)
    assert f"{link.code},cabin,2031-03-10,2031-03-13,2," in csv and ",297.76,USD," in csv
    [confirmation] = outbox(kind="confirmation")
    assert "Coupon SPRING (12.5%): -$42.54" in confirmation.text_body
    assert "Coupon SPRING (12.5%)" in confirmation.html_body
    assert "1 of 5" in client.get("/host/coupons").get_data(as_text=True)


def test_a_booking_with_a_coupon_it_may_not_use_is_422_beside_the_field(client, book, cabin):
    add_coupon("LATER", percent_off=Decimal(10), valid_from=date(2031, 4, 1))
    before = database_snapshot()

    response = book(cabin, MONDAY, THURSDAY, coupon="later")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = html[html.index('id="coupon-errors"') :]
    assert "for arrivals from 2031-04-01" in errors[: errors.index("</ul>")]
    assert 'value="later"' in html and 'value="Ada Lovelace"' in html
    assert database_snapshot() == before


def test_the_last_use_goes_to_one_booking_and_the_next_stores_nothing(cabin):
    add_coupon("ONCE", percent_off=Decimal(10), max_uses=1)
    guest = Guest("Ada Lovelace", "ada@example.com")
    reserve(cabin, Stay(MONDAY, THURSDAY, 2), guest, coupon="ONCE")
    before = database_snapshot()

    with pytest.raises(InvalidFields) as refused:
        reserve(cabin, Stay(date(2031, 3, 20), date(2031, 3, 22), 2), guest, coupon="once")

    assert "used as many times" in refused.value.fields["coupon"][0]
    assert database_snapshot() == before
    assert stored_coupons()[0].uses == 1


def test_a_cancellation_does_not_give_the_use_back(client, cabin):
    add_coupon("ONCE", percent_off=Decimal(10), max_uses=1)
    guest = Guest("Ada Lovelace", "ada@example.com")
    reservation = reserve(cabin, Stay(MONDAY, THURSDAY, 2), guest, coupon="ONCE")
    cancel(reservation, CancelledBy.HOST)
    assert stored_coupons()[0].uses == 1
    assert "used as many times" in quote(client, cabin, "ONCE")[1]


def test_a_booking_by_phone_takes_a_coupon_too(client, host, cabin):
    add_coupon("FRIEND", amount_off=cabin.cleaning_fee, prop=cabin)
    form_page = client.get("/host/reservations/new").get_data(as_text=True)
    assert 'name="coupon"' in form_page
    fields = {
        "property": "cabin",
        "check_in": str(MONDAY),
        "check_out": str(THURSDAY),
        "guests": "2",
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "submission_key": hidden_value(form_page, "submission_key"),
    }

    wrong = host.post("/host/reservations", {**fields, "coupon": "FOE"})
    assert wrong.status_code == 422
    assert "There is no coupon FOE" in wrong.get_data(as_text=True)
    response = host.post("/host/reservations", {**fields, "coupon": "friend"})

    assert response.status_code == 303
    [reservation] = reservations()
    assert reservation.total_minor == 30030  # $340.30 less the $40.00 cleaning fee
    assert stored_coupons()[0].uses == 1
