"""Practice lists on the index: which practices a list shows, how many, in what order, facet counts.

The list pages (``/practices/`` and the centre, sector, topic and tag pages) and
``GET /api/v1/practices`` ask the index, like the search page: the same visibility and status rule
(``FieldArrays.listed`` mirrors ``hub.practices.visibility.listed_clause``), the same German
matching of words, the same facet counts. Without words the order is newest first (publication
date; practices of the same day in index order), with words by relevance. The caller loads the
page's rows from the database by slug, in this order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from hub.extensions import db
from hub.search.query import SearchRequest, search
from hub.search.service import log_search
from hub.search.sync import get_index, sync_if_stale


@dataclass
class ListedPage:
    slugs: list[str]  # the page's practices, in list order
    total: int
    facets: dict[str, dict[str, int]]  # facet → value → count (the query, the other filters, the view)


def listed_page(user: Any, req: SearchRequest, *, source: str) -> ListedPage:
    """One page of what ``user`` may see in lists, narrowed by ``req``; searches with words are logged."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sync_if_stale(app)
    result = search(get_index(app), db.session, user, req, highlight=False)
    if result.query:
        log_search(req, result, source)
    return ListedPage([hit.card["slug"] for hit in result.hits], result.total, result.facets)
