"""Static files: content-hashed names kept for a year, text gzipped when accepted."""

import gzip
import re

import pytest

from innkeeper.assets import YEAR, Assets

HASHED_STYLE = re.compile(r'href="(/static/css/site\.[0-9a-f]{10}\.css)"')


@pytest.fixture
def engine_name():
    # Static files touch no database: one engine is enough.
    return "sqlite"


def hashed_style_url(client) -> str:
    match = HASHED_STYLE.search(client.get("/").text)
    assert match, "the page does not name its style sheet by content"
    return match[1]


def test_pages_name_static_files_by_content_and_those_are_kept_a_year(client):
    url = hashed_style_url(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.cache_control.max_age == YEAR
    assert response.cache_control.immutable
    assert response.cache_control.public
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_plain_and_stale_names_still_answer_but_only_for_an_hour(client):
    current = client.get(hashed_style_url(client)).data
    for url in ("/static/css/site.css", "/static/css/site.0000000000.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.data == current, url
        assert response.cache_control.max_age == 3600, url
        assert not response.cache_control.immutable, url


def test_text_goes_out_gzipped_only_to_clients_that_accept_it(client):
    url = hashed_style_url(client)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert "Accept-Encoding" in plain.vary and "Accept-Encoding" in packed.vary
    # Each encoding has its own validator, so a cache never mixes them up.
    assert plain.get_etag() != packed.get_etag()


def test_a_known_version_answers_304(client):
    url = hashed_style_url(client)
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.data == b""


def test_images_are_not_compressed_again(client):
    response = client.get("/static/icons/apple-touch-icon.png", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "url",
    ["/static/css/missing.css", "/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml"],
)
def test_missing_files_and_paths_outside_the_folder_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "app.js").write_text("one()")
    assets = Assets(tmp_path)
    before = assets.hashed_name("app.js")
    (tmp_path / "app.js").write_text("two(); // longer, so the file is seen to change")
    after = assets.hashed_name("app.js")
    assert re.fullmatch(r"app\.[0-9a-f]{10}\.js", before)
    assert before != after
    assert assets.get("app.js").body.startswith(b"two()")
    assert assets.hashed_name("missing.js") == "missing.js"
