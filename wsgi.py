"""A checkout's entry point, kept for ``gunicorn wsgi:app``; installed hubs use ``hub.wsgi:app``."""

from hub.wsgi import app

__all__ = ["app"]
