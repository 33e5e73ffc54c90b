"""Saved searches as readers see them: a one-line description and the link to ``/search``."""

from __future__ import annotations

from flask import url_for

from hub.filters import FILTER_NAMES
from hub.saved_searches.criteria import SavedSearch
from hub.search import FACET_TITLES, value_label, value_labels


def describe(saved: SavedSearch) -> str:
    """E.g. ``„Schichtplanung“ · Sector: C – Verarbeitendes Gewerbe · Company size: …``."""
    labels = value_labels()
    parts = [f"„{saved.q}“"] if saved.q else []
    for name in FILTER_NAMES:
        values = saved.filters.get(name)
        if values:
            shown = ", ".join(value_label(labels, name, v) for v in values)
            parts.append(f"{FACET_TITLES[name]}: {shown}")
    return " · ".join(parts)


def search_url(saved: SavedSearch, *, external: bool = False) -> str:
    key = saved.key()
    return url_for("search.page", _external=external) + ("?" + key if key else "")


def feed_url(saved: SavedSearch, *, external: bool = False) -> str:
    key = saved.key()
    return url_for("feeds.search", _external=external) + ("?" + key if key else "")
