import urllib.request


def test_gunicorn_serves_the_home_page(live_server, make_property):
    make_property(name="Dune Cottage")
    with urllib.request.urlopen(live_server.url + "/") as response:
        assert "Dune Cottage" in response.read().decode()
