"""What browsers, crawlers and the site's own pages ask of every site."""

import json
import os
import re
import signal
import subprocess
import time
import urllib.request

from innkeeper.config import PROJECT_ROOT
from tests.helpers import free_port


def test_favicon_robots_and_sitemap_answer(client, make_property):
    prop = make_property(slug="dune-cottage")
    make_property(slug="hidden-place", published=False)

    with client.get("/favicon.ico") as favicon:
        assert favicon.status_code == 200
        assert favicon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file

    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Disallow: /host/" in robots.text
    assert "Sitemap: http://innkeeper.test/sitemap.xml" in robots.text

    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    assert f"<loc>http://innkeeper.test/properties/{prop.slug}</loc>" in sitemap.text
    assert "hidden-place" not in sitemap.text


def test_the_property_page_describes_itself(client, make_property):
    prop = make_property(description="A wooden cottage behind the dunes, ten minutes from the sea.")
    html = client.get(f"/properties/{prop.slug}").text
    assert (
        '<meta name="description" content="A wooden cottage behind the dunes,'
        ' ten minutes from the sea.">' in html
    )
    assert 'rel="icon"' in html


def test_make_run_links_to_the_port_it_serves_on(tmp_path):
    """`PORT=… make run` without BASE_URL: mail and feed links name that port."""
    port = free_port()
    env = {
        "PATH": f"{PROJECT_ROOT / '.venv' / 'bin'}:/usr/bin:/bin",
        "PORT": str(port),
        "INNKEEPER_INSTANCE": str(tmp_path / "instance"),
        "HOME": str(tmp_path),
    }
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sitemap.xml") as answer:
                    sitemap = answer.read().decode()
                break
            except OSError:
                assert server.poll() is None, "make run stopped"
                assert time.monotonic() < deadline, "make run did not serve in time"
                time.sleep(0.3)
        assert f"<loc>http://127.0.0.1:{port}/properties/seashell-house</loc>" in sitemap
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_the_property_page_tells_search_engines_what_it_is(client, make_property):
    prop = make_property(
        slug="dune-cottage",
        name="Dune Cottage",
        area="Comporta, Portugal",
        address="Rua das Dunas 7",
        amenities=["wifi", "pool"],
        max_guests=5,
    )
    html = client.get(f"/properties/{prop.slug}").text

    assert '<link rel="canonical" href="http://innkeeper.test/properties/dune-cottage">' in html
    assert '<meta property="og:title" content="Dune Cottage">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert data["@type"] == "VacationRental"
    assert data["name"] == "Dune Cottage"
    assert data["checkinTime"] == "15:00"
    assert data["priceRange"] == "USD 100.00-150.00"
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Comporta, Portugal"}
    assert "Rua das Dunas" not in json.dumps(data)  # the street is for booked guests
    assert data["containsPlace"]["occupancy"]["maxValue"] == 5
    assert [f["name"] for f in data["containsPlace"]["amenityFeature"]] == ["Wi-Fi", "Pool"]
    assert "image" not in data
