"""The host uploads photos: only whole JPEG, PNG and WebP pictures, stored re-encoded."""

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.helpers import (
    GPS_IFD,
    camera_exif,
    count_rows,
    csrf_token_from,
    database_snapshot,
    fetched,
    hidden_value,
    photo_form,
    picture,
    png_claiming,
)


def stored(app, name: str) -> bytes:
    return (Path(app.instance_path) / "photos" / name).read_bytes()


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "porch.jpg"), ("PNG", "porch.png"), ("WEBP", "porch.webp")]
)
def test_a_photo_is_stored_at_each_width_in_webp_and_jpeg(
    app, host, place, photos_of, stored_files, fmt, name
):
    response = host.post(
        f"/host/properties/{place.slug}/photos", photo_form(picture(fmt, (1200, 800)), name=name)
    )

    assert response.status_code == 303
    assert response.headers["Location"] == f"/host/properties/{place.slug}/photos"
    [photo] = photos_of(place)
    assert (photo.alt, photo.width, photo.height) == ("The porch with two hammocks", 1200, 800)
    # Never enlarged: 1600 is past the original, which is kept at its own width instead.
    assert photo.widths == [480, 960, 1200]
    assert stored_files() == set(photo.file_names())
    assert len(photo.key) == 32
    for width in photo.widths:
        for ext, pillow_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            image = Image.open(io.BytesIO(stored(app, photo.file_name(width, ext))))
            assert image.format == pillow_format
            assert image.size == (width, round(photo.height * width / photo.width))
            assert image.mode == "RGB"


def test_a_narrow_photo_is_kept_at_its_own_width_only(host, place, photos_of):
    host.post(f"/host/properties/{place.slug}/photos", photo_form(picture(size=(400, 300))))
    assert photos_of(place)[0].widths == [400]


def test_a_phone_photo_is_turned_upright_and_loses_its_exif(app, host, place, photos_of):
    # 300 wide, red on the left; Orientation 6: turn it a quarter clockwise to view it.
    data = picture("JPEG", (300, 200), exif=camera_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test's own premise

    assert host.post(f"/host/properties/{place.slug}/photos", photo_form(data)).status_code == 303

    [photo] = photos_of(place)
    assert (photo.width, photo.height) == (200, 300)
    for ext in ("jpg", "webp"):
        raw = stored(app, photo.file_name(200, ext))
        image = Image.open(io.BytesIO(raw))
        assert image.size == (200, 300)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and b"Exif" not in raw
        # Turned clockwise, what was the left (red) is now at the top.
        top, bottom = image.getpixel((100, 20)), image.getpixel((100, 280))
        assert top[0] > 200 and top[2] < 60, top
        assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_a_transparent_png_is_laid_on_white(app, host, place, photos_of):
    data = picture("PNG", (64, 64), mode="RGBA")
    clear = Image.open(io.BytesIO(data))
    clear.putalpha(0)
    out = io.BytesIO()
    clear.save(out, "PNG")
    host.post(f"/host/properties/{place.slug}/photos", photo_form(out.getvalue()))
    [photo] = photos_of(place)
    image = Image.open(io.BytesIO(stored(app, photo.file_name(64, "jpg"))))
    assert min(image.getpixel((10, 10))) > 240


def test_a_jpeg_with_a_zip_and_a_script_appended_is_stored_without_them(
    app, client, host, place, photos_of
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("payload.html", "<script>alert(1)</script>")
    polyglot = picture() + archive.getvalue() + b"<html><script>alert(2)</script></html>"

    response = host.post(f"/host/properties/{place.slug}/photos", photo_form(polyglot))

    # Accepted: the picture is whole, and only its pixels are written anew.
    assert response.status_code == 303
    [photo] = photos_of(place)
    for name in photo.file_names():
        served = fetched(client, f"/photos/{name}").data
        assert served == stored(app, name)
        assert b"PK\x03\x04" not in served and b"<script" not in served


def refuse(host, place, data: bytes, name: str = "photo.jpg"):
    return host.post(f"/host/properties/{place.slug}/photos", photo_form(data, name=name))


def truncated() -> bytes:
    whole = picture("JPEG", (600, 400))
    return whole[: len(whole) // 2]


def gif() -> bytes:
    return picture("GIF", (60, 40))


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda: b"Just some text, named like a photo.\n", "photo.jpg", "not a JPEG, PNG or WebP"),
        (gif, "photo.gif", "not a JPEG, PNG or WebP"),
        (
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "photo.svg",
            "not a JPEG, PNG or WebP",
        ),
        (truncated, "photo.jpg", "could not be read to the end"),
        (lambda: picture("PNG")[:200], "photo.png", "could not be read to the end"),
        # Far past Pillow's own limit (it raises), and just past ours (it warns).
        (lambda: png_claiming(20000, 20000), "bomb.png", "more than 50 million pixels"),
        (lambda: png_claiming(8000, 7000), "big.png", "more than 50 million pixels"),
        (lambda: b"", "empty.jpg", "not a JPEG, PNG or WebP"),
        # What a browser sends when no file was chosen.
        (lambda: b"", "", "Choose a photo to upload."),
    ],
    ids=["text", "gif", "svg", "cut-jpeg", "cut-png", "bomb", "too-many-pixels", "empty", "none"],
)
def test_anything_but_a_whole_picture_is_refused_and_nothing_is_stored(
    host, place, stored_files, make, name, message
):
    before = database_snapshot()

    response = refuse(host, place, make(), name)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="photo-errors"' in html  # beside the field
    assert "The porch with two hammocks" in html  # what the host typed is kept
    assert database_snapshot() == before
    assert stored_files() == set()


def post_in_memory(client, url: str, data: bytes):
    """Send a large upload from memory: the test client would spool it to a file it never
    closes when the app does not read it all."""
    token = csrf_token_from(client.get("/host/").get_data(as_text=True))
    fields = {
        "csrf_token": token,
        "alt": "The porch",
        "photo": FileStorage(io.BytesIO(data), "big.jpg"),
    }
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_photo_over_10_mb_is_refused_with_its_size(client, host, place, stored_files):
    # 11 MB: inside the request limit, past the photo's.
    data = picture() + b"\0" * (11 * 1024 * 1024)
    response = post_in_memory(client, f"/host/properties/{place.slug}/photos", data)
    assert response.status_code == 422
    assert "This file is 11.0 MB; a photo may be at most 10 MB" in response.get_data(as_text=True)
    assert count_rows("photo") == 0
    assert stored_files() == set()


def test_a_request_over_12_mb_is_refused_with_413(client, host, place, stored_files):
    data = picture() + b"\0" * (13 * 1024 * 1024)
    response = post_in_memory(client, f"/host/properties/{place.slug}/photos", data)
    assert response.status_code == 413
    assert "larger than this site accepts (12 MB at most)" in response.get_data(as_text=True)
    assert count_rows("photo") == 0
    assert stored_files() == set()


@pytest.mark.parametrize(
    ("alt", "message"),
    [
        ("", "Describe the photo in a few words"),
        ("   ", "Describe the photo in a few words"),
        ("The porch\nwith hammocks", "Use one line"),
        ("x" * 201, "200 characters or fewer"),
    ],
)
def test_a_photo_needs_a_one_line_description(host, place, stored_files, alt, message):
    response = host.post(f"/host/properties/{place.slug}/photos", photo_form(picture(), alt=alt))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="alt-errors"' in html
    assert count_rows("photo") == 0
    assert stored_files() == set()


def test_a_signed_out_upload_changes_nothing(client, auth, place, stored_files):
    # A valid form of a visitor who is not signed in: only the sign-in stands in the way.
    token = csrf_token_from(client.get("/host/login").get_data(as_text=True))
    before = database_snapshot()

    response = client.post(
        f"/host/properties/{place.slug}/photos", data={"csrf_token": token, **photo_form(picture())}
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/host/login")
    assert database_snapshot() == before
    assert stored_files() == set()


def test_submitting_the_same_upload_twice_adds_one_photo(client, host, place, photos_of):
    form = client.get(f"/host/properties/{place.slug}/photos").get_data(as_text=True)
    key = hidden_value(form, "submission_key")
    url = f"/host/properties/{place.slug}/photos"
    first = host.post(url, photo_form(picture(), submission_key=key))
    second = host.post(url, photo_form(picture(), submission_key=key))
    assert first.status_code == second.status_code == 303
    assert len(photos_of(place)) == 1


def test_an_unknown_place_has_no_photos_page(host):
    assert host.post("/host/properties/nowhere/photos", photo_form(picture())).status_code == 404
