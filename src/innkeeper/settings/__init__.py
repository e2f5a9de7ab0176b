"""The site's own details, set by the hosts: its name, who mail comes from, whom guests reach."""

from flask import Flask
from werkzeug.local import LocalProxy


def init_app(app: Flask) -> None:
    from . import languages
    from .services import site_settings

    languages.init_app(app)

    # `site.site_name` in any template, pages and mail alike; read only when used.
    app.jinja_env.globals["site"] = LocalProxy(site_settings)
