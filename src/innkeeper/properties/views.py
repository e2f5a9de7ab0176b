from flask import Blueprint, Response, current_app, render_template, send_from_directory
from sqlalchemy import select

from ..extensions import db
from ..web import external_url, page_or_fragment
from .models import Property

bp = Blueprint("properties", __name__)


@bp.get("/")
def index():
    """Every published property, each linking to its page."""
    properties = db.session.scalars(
        select(Property).filter_by(published=True).order_by(Property.name)
    ).all()
    return page_or_fragment("properties/index.html", "content", properties=properties)


@bp.get("/sitemap.xml")
def sitemap():
    """Every public page a search engine should know: the list and each published place."""
    slugs = db.session.scalars(
        select(Property.slug).filter_by(published=True).order_by(Property.slug)
    ).all()
    urls = [external_url("properties.index")]
    urls += [external_url("reservations.property_page", slug=slug) for slug in slugs]
    body = render_template("properties/sitemap.xml", urls=urls)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    """Crawl the places; stay out of guests' and the host's pages."""
    lines = [
        "User-agent: *",
        "Disallow: /host/",
        "Disallow: /reservations/",
        f"Sitemap: {external_url('properties.sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root, whatever the page links to."""
    folder = f"{current_app.static_folder}/icons"
    return send_from_directory(folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")
