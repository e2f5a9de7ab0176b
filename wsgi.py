"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from innkeeper import create_app

app = create_app()
