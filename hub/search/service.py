"""What the search page and the API share: sync if stale, search as the current user, log."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from hub.extensions import db
from hub.models import SearchLogEntry
from hub.search.query import SearchRequest, SearchResult, normalise, search, similar
from hub.search.sync import get_index, sync_if_stale

log = logging.getLogger(__name__)


def run_search(user: Any, req: SearchRequest, *, source: str) -> SearchResult:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sync_if_stale(app)
    result = search(get_index(app), db.session, user, req)
    log_search(req, result, source)
    return result


def similar_practices(user: Any, practice_id: int, limit: int = 5) -> list[dict[str, Any]]:
    """ "Ähnliche Praxisbeispiele" for a practice page; empty (never an error) when search is unavailable."""
    try:
        return similar(get_index(), user, practice_id, limit)
    except Exception:
        log.exception("similar practices unavailable")
        return []


def log_search(req: SearchRequest, result: SearchResult, source: str) -> None:
    """Search log for coordinators: no user, no IP address, no session id."""
    try:
        db.session.add(
            SearchLogEntry(
                query=normalise(req.q).lower(),
                filters={name: values for name, values in sorted(req.filters.items())},
                results=result.total,
                duration_ms=round(result.duration_ms),
                source=source,
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("search log not written")
