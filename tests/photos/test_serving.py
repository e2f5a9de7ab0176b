"""The site serves the stored files, and guest pages show them at the size the layout needs."""

import json
import re

import pytest

from innkeeper.photos.models import Photo
from tests.helpers import fetched, photo_form, picture

IMG = re.compile(r"<img [^>]*>")


@pytest.fixture
def uploaded(host, place, photos_of):
    """Two photos of the place, 2000 and 700 pixels wide."""
    url = f"/host/properties/{place.slug}/photos"
    host.post(url, photo_form(picture(size=(2000, 1333)), alt="The cottage from the dunes"))
    host.post(url, photo_form(picture("PNG", size=(700, 500)), alt="The porch"))
    return photos_of(place)


def test_a_stored_file_is_served_for_a_year_with_its_type(client, uploaded):
    first = uploaded[0]
    for ext, content_type in (("webp", "image/webp"), ("jpg", "image/jpeg")):
        response = fetched(client, f"/photos/{first.file_name(960, ext)}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data.startswith(b"RIFF" if ext == "webp" else b"\xff\xd8")


def test_a_served_file_answers_a_revalidation_with_304(client, uploaded):
    url = f"/photos/{uploaded[0].file_name(480, 'jpg')}"
    etag = fetched(client, url).headers["ETag"]
    assert fetched(client, url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "name",
    [
        "0123456789abcdef0123456789abcdef-480w.jpg",  # no such photo
        "..%2Finnkeeper.db",
        "..%2F..%2Fsecret_key",
        "%2Fetc%2Fpasswd",
        ".0123456789abcdef0123456789abcdef-480w.jpg.part",
        "0123456789abcdef0123456789abcdef-480w.svg",
        "innkeeper.db",
    ],
)
def test_anything_but_a_stored_photo_is_not_found(client, uploaded, name):
    response = fetched(client, f"/photos/{name}")
    assert response.status_code == 404


def test_a_path_out_of_the_folder_is_not_found(client, uploaded):
    for url in ("/photos/../secret_key", "/photos/../../pyproject.toml", "/photos/a/../b.jpg"):
        assert fetched(client, url).status_code == 404


def test_the_guest_page_shows_each_photo_with_sizes_in_webp_and_jpeg(client, place, uploaded):
    html = client.get(f"/properties/{place.slug}").get_data(as_text=True)
    big, small = uploaded

    # Each photo in the gallery, and again in its full-screen view, which loads it when opened.
    assert html.count("<picture>") == 4
    gallery = html[html.index('id="gallery"') : html.index('class="lightbox"')]
    assert gallery.count("<picture>") == 2
    viewers = html[html.index('class="lightbox"') :]
    assert viewers.count('loading="lazy"') == 2 and viewers.count('sizes="100vw"') == 4
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)"', html)
    assert sources[0] == ", ".join(
        f"/photos/{big.file_name(w, 'webp')} {w}w" for w in (480, 960, 1600)
    )
    assert sources[1] == ", ".join(f"/photos/{small.file_name(w, 'webp')} {w}w" for w in (480, 700))

    first, second = IMG.findall(gallery)
    assert 'alt="The cottage from the dunes"' in first
    assert f'srcset="/photos/{big.file_name(480, "jpg")} 480w' in first
    assert f'src="/photos/{big.file_name(960, "jpg")}"' in first
    assert 'width="2000" height="1333"' in first
    assert 'sizes="' in first
    assert 'loading="lazy"' not in first  # the first is wanted at once
    assert 'alt="The porch"' in second and 'loading="lazy"' in second
    assert 'width="700" height="500"' in second


def test_the_first_photo_is_the_card_on_the_list_of_places(client, place, uploaded):
    html = client.get("/").get_data(as_text=True)
    card = html[html.index('href="/properties/dune-cottage"') :]
    img = IMG.search(card).group(0)
    assert f"/photos/{uploaded[0].file_name(480, 'jpg')} 480w" in img
    # The place's name beside it says what the link is.
    assert 'alt=""' in img
    assert uploaded[1].key not in card[: card.index("</li>")]


def test_a_picture_shipped_with_the_site_is_shown_as_it_is(client, make_property):
    prop = make_property(
        photos=[
            Photo(static_src="photos/seashell-porch.svg", alt="Hammocks", width=640, height=400)
        ]
    )
    html = client.get(f"/properties/{prop.slug}").get_data(as_text=True)
    assert re.search(
        r'<img src="/static/photos/seashell-porch\.[0-9a-f]{10}\.svg" alt="Hammocks"'
        r' width="640" height="400">',
        html,
    )


def test_link_previews_and_search_engines_get_the_first_photo_at_its_widest(
    client, place, uploaded
):
    html = client.get(f"/properties/{place.slug}").get_data(as_text=True)

    widest = f"http://innkeeper.test/photos/{uploaded[0].file_name(uploaded[0].widths[-1], 'jpg')}"
    assert f'<meta property="og:image" content="{widest}">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert data["image"][0] == widest
    assert len(data["image"]) == 2
    assert fetched(client, widest.removeprefix("http://innkeeper.test")).status_code == 200
