"""Innkeeper: a self-hosted booking site for small hosts."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = Path(
        (test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("INNKEEPER_INSTANCE")
        or config.PROJECT_ROOT / "instance"
    )
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(instance_path))
    if test_config:
        app.config.from_mapping(test_config)

    # The database:// limits storage, and the one-time form keys' table.
    from . import ratelimit, submissions  # noqa: F401
    from .extensions import babel, csrf, db, limiter, mail, migrate
    from .settings.languages import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    from .database import configure_engine
    from .web import FragmentCache

    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)

    from . import assets, cli, dashboard, errors, health, security, settings, templating
    from .activity import admin as activity_admin
    from .availability import admin as availability_admin
    from .calendars import admin as calendar_admin
    from .calendars import views as calendar_views
    from .host import views as host_views
    from .mail import admin as mail_admin
    from .payments import admin as payment_admin
    from .payments import views as payment_views
    from .photos import admin as photo_admin
    from .photos import views as photo_views
    from .pricing import admin as pricing_admin
    from .properties import admin as property_admin
    from .properties import views as property_views
    from .reservations import admin as reservation_admin
    from .reservations import views as reservation_views
    from .settings import admin as settings_admin

    for blueprint in (
        property_views.bp,
        reservation_views.bp,
        calendar_views.bp,
        photo_views.bp,
        payment_views.bp,
        host_views.bp,
        dashboard.bp,
        property_admin.bp,
        availability_admin.bp,
        reservation_admin.bp,
        pricing_admin.bp,
        pricing_admin.coupons_bp,
        photo_admin.bp,
        calendar_admin.bp,
        payment_admin.bp,
        activity_admin.bp,
        mail_admin.bp,
        settings_admin.bp,
        health.bp,
        errors.bp,
    ):
        app.register_blueprint(blueprint)
    if proxies := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.extensions["innkeeper.calendar_cache"] = FragmentCache(
        size=512, templates=Path(app.template_folder)
    )
    assets.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    settings.init_app(app)
    cli.init_app(app)
    return app
