from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import select

from ..errors import render_error
from ..exceptions import NotFound
from ..extensions import db
from ..web import external_url, page_or_fragment
from .models import Property
from .services import current_slug, list_top_level
from .sharing import structured_data

bp = Blueprint("properties", __name__)
bp.add_app_template_global(structured_data)


@bp.get("/")
def index():
    """Every published place part of no other, each linking to its page: a place with
    units stands for them."""
    return page_or_fragment("properties/index.html", "content", properties=list_top_level())


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


@bp.app_errorhandler(NotFound)
def follow_renamed_place(error: NotFound):
    """A link made under a place's former address leads to its new one; else the 404."""
    slug = (request.view_args or {}).get("slug")
    if slug and request.endpoint and (new_slug := current_slug(slug)):
        target = url_for(request.endpoint, **{**request.view_args, "slug": new_slug})
        if request.query_string:
            target += "?" + request.query_string.decode()
        return redirect(target, 301 if request.method in ("GET", "HEAD") else 308)
    return render_error(error.status, error.message)
