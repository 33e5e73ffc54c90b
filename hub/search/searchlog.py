"""The search log for coordinators (what was searched, how many hits): written per search, pruned
after ``SEARCH_LOG_RETENTION_DAYS`` — queries can hold client names typed into the search box."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from hub.extensions import db
from hub.models import SearchLogEntry
from hub.models._types import utcnow
from hub.search.parsing import normalise
from hub.search.searching import SearchRequest, SearchResult

log = logging.getLogger(__name__)


def log_search(req: SearchRequest, result: SearchResult, source: str) -> None:
    """One entry: no user, no IP address, no session id."""
    try:
        entry = {
            "query": normalise(req.q).lower(),
            "filters": {name: values for name, values in sorted(req.filters.items())},
            "results": result.total,
            "duration_ms": round(result.duration_ms),
            "source": source,
        }
        db.session.execute(sa.insert(SearchLogEntry.__table__).values(entry))  # no unit of work: cheaper
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("search log not written")


def prune_search_log(retention_days: int) -> int:
    """Delete entries older than ``retention_days`` days (0 or less: keep everything); returns how
    many were deleted. Commits."""
    if retention_days <= 0:
        return 0
    cutoff = utcnow() - timedelta(days=retention_days)
    result = db.session.execute(sa.delete(SearchLogEntry).where(SearchLogEntry.at < cutoff))
    assert isinstance(result, sa.CursorResult)  # what a DELETE returns; Session.execute is typed Result
    deleted = result.rowcount
    db.session.commit()
    log.info("search log pruned: %d entries older than %d days", deleted, retention_days)
    return int(deleted or 0)
