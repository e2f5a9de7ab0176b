from pathlib import Path

import pytest
from sqlalchemy import select

from innkeeper.extensions import db
from innkeeper.photos.models import Photo


@pytest.fixture
def host(auth):
    auth.login()
    return auth


@pytest.fixture
def place(make_property):
    return make_property(slug="dune-cottage", name="Dune Cottage")


@pytest.fixture
def stored_files(app):
    """The names of the photo files in the instance folder, now."""
    folder = Path(app.instance_path) / "photos"

    def names() -> set[str]:
        return {p.name for p in folder.iterdir()} if folder.exists() else set()

    return names


@pytest.fixture
def photos_of():
    """The place's photos as stored now, in the order guests see them."""

    def photos(prop) -> list[Photo]:
        db.session.rollback()  # what the requests committed
        query = select(Photo).filter_by(property_id=prop.id).order_by(Photo.position, Photo.id)
        return list(db.session.scalars(query))

    return photos
