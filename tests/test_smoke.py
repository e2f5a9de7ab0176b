def test_home_lists_published_properties(client, make_property):
    make_property(name="Harbour View")
    make_property(name="Hidden", published=False)
    html = client.get("/").get_data(as_text=True)
    assert "Harbour View" in html
    assert "Hidden" not in html
