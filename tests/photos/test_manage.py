"""The host orders, describes and deletes a place's photos; each change is in the activity log."""

import pytest
from sqlalchemy import select

from innkeeper.activity.models import Activity
from innkeeper.extensions import db
from tests.helpers import HX, csrf_token_from, database_snapshot, photo_form, picture


@pytest.fixture
def three_photos(host, place, photos_of):
    """Three uploaded photos of the place, first to last: "One", "Two", "Three"."""
    for alt in ("One", "Two", "Three"):
        response = host.post(
            f"/host/properties/{place.slug}/photos", photo_form(picture(size=(500, 300)), alt=alt)
        )
        assert response.status_code == 303
    return photos_of(place)


def alts(photos) -> list[str]:
    return [photo.alt for photo in photos]


def log() -> list[tuple]:
    db.session.rollback()
    entries = db.session.scalars(select(Activity).order_by(Activity.id))
    return [(e.action, e.subject, e.changes) for e in entries]


def test_photos_are_shown_in_the_order_they_were_added(client, host, place, three_photos):
    html = client.get(f"/host/properties/{place.slug}/photos").get_data(as_text=True)
    assert html.index('alt="One"') < html.index('alt="Two"') < html.index('alt="Three"')
    assert [entry[0] for entry in log()] == ["photo.added"] * 3
    assert log()[0] == ("photo.added", "Dune Cottage", {"alt": [None, "One"]})


def test_move_up_and_down_change_the_order_guests_see(client, host, place, three_photos, photos_of):
    one, _, three = three_photos
    url = f"/host/properties/{place.slug}/photos"

    assert host.post(f"{url}/{three.id}/move", {"direction": "up"}).status_code == 303
    assert alts(photos_of(place)) == ["One", "Three", "Two"]
    host.post(f"{url}/{one.id}/move", {"direction": "down"})
    assert alts(photos_of(place)) == ["Three", "One", "Two"]

    guest_page = client.get(f"/properties/{place.slug}").get_data(as_text=True)
    assert guest_page.index('alt="Three"') < guest_page.index('alt="One"')
    assert log()[-1] == (
        "photo.moved",
        "Dune Cottage",
        {"photo": [None, "One"], "position": ["1", "2"]},
    )


def test_moving_past_either_end_changes_nothing(host, place, three_photos):
    one, _, three = three_photos
    url = f"/host/properties/{place.slug}/photos"
    before = database_snapshot()
    assert host.post(f"{url}/{one.id}/move", {"direction": "up"}).status_code == 303
    assert host.post(f"{url}/{three.id}/move", {"direction": "down"}).status_code == 303
    assert database_snapshot() == before


def test_a_move_without_a_direction_is_refused(host, place, three_photos):
    response = host.post(f"/host/properties/{place.slug}/photos/{three_photos[0].id}/move")
    assert response.status_code == 400
    assert "direction=up" in response.get_data(as_text=True)


def test_the_description_can_be_changed(host, place, three_photos, photos_of):
    photo = three_photos[1]
    response = host.post(
        f"/host/properties/{place.slug}/photos/{photo.id}", {"alt": "The garden at dusk"}
    )
    assert response.status_code == 303
    assert alts(photos_of(place)) == ["One", "The garden at dusk", "Three"]
    assert log()[-1] == ("photo.described", "Dune Cottage", {"alt": ["Two", "The garden at dusk"]})


def test_an_empty_description_is_refused_beside_that_photo(host, place, three_photos, photos_of):
    photo = three_photos[1]
    before = database_snapshot()
    response = host.post(f"/host/properties/{place.slug}/photos/{photo.id}", {"alt": " "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="alt-{photo.id}-errors"' in html
    assert "Describe the photo in a few words" in html
    assert f'for="alt-{photo.id}">What photo 2 shows' in html
    assert database_snapshot() == before


def test_delete_asks_first_then_removes_the_photo_and_its_files(
    client, host, place, three_photos, photos_of, stored_files
):
    photo = three_photos[0]
    url = f"/host/properties/{place.slug}/photos/{photo.id}/delete"
    files = set(photo.file_names())

    question = client.get(url)
    assert question.status_code == 200
    assert "Delete this photo of Dune Cottage?" in question.get_data(as_text=True)
    assert len(photos_of(place)) == 3

    assert host.post(url).status_code == 303
    assert alts(photos_of(place)) == ["Two", "Three"]
    assert not files & stored_files()
    assert len(stored_files()) == 2 * 2 * 2  # two photos, at 480 and 500 wide, in two formats
    assert log()[-1] == ("photo.deleted", "Dune Cottage", {"photo": [None, "One"]})
    assert client.get(f"/photos/{min(files)}").status_code == 404


def test_a_photo_of_another_place_is_not_found_here(host, place, make_property, three_photos):
    other = make_property()
    url = f"/host/properties/{other.slug}/photos/{three_photos[0].id}"
    assert host.post(url, {"alt": "Mine now"}).status_code == 404
    assert host.post(f"{url}/delete").status_code == 404


def test_signed_out_changes_change_nothing(client, auth, place, three_photos):
    url = f"/host/properties/{place.slug}/photos/{three_photos[0].id}"
    auth.logout()
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    before = database_snapshot()
    for path, form in (
        (url, {"alt": "Not yours"}),
        (f"{url}/move", {"direction": "down"}),
        (f"{url}/delete", {}),
    ):
        response = client.post(path, data={"csrf_token": token, **form})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/host/login")
    assert database_snapshot() == before


def test_the_place_page_shows_the_photos_and_leads_to_them(client, host, place, three_photos):
    html = client.get(f"/host/properties/{place.slug}").get_data(as_text=True)
    assert 'alt="One"' in html
    assert f'href="/host/properties/{place.slug}/photos"' in html
    assert "Manage the 3 photos" in html


def test_the_photos_page_answers_htmx_with_its_content_only(client, host, place, three_photos):
    response = client.get(f"/host/properties/{place.slug}/photos", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'alt="One"' in html
    assert response.headers["Cache-Control"] == "no-store"
