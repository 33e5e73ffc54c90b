"""Page limits, in one place: the practice lists, ``/search``, the API (``/api/v1/practices`` and
``/api/v1/search``) and its OpenAPI description all import them from here."""

from __future__ import annotations

from flask import current_app

# Beyond this page no list has pages; far larger numbers would overflow the database's OFFSET.
MAX_PAGE = 10_000


def per_page() -> int:
    """Rows of a list page unless the request asks for more (``HUB_PER_PAGE``)."""
    return int(current_app.config["PER_PAGE"])


def max_per_page() -> int:
    """The most rows a request may ask for per page (``HUB_SEARCH_PER_PAGE_MAX``)."""
    return int(current_app.config["SEARCH_PER_PAGE_MAX"])
