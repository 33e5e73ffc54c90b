"""The one way into search for the rest of the hub: ``search_service()`` (``app.extensions["search"]``).

Search as a reader (the search page, the API), list a page (practice lists), find (hits for callers
that load and check the rows themselves: saved searches, matching), similar practices, and probe one
practice for a watcher. Every call first picks up outbox rows other hosts committed (at most every
few seconds); what a reader is shown is checked against the database (an index that lags never
shows what the database hides).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask import Flask, current_app, has_request_context, request

from hub.auth.permissions import is_member
from hub.extensions import db
from hub.lru import SizedLRU
from hub.models import Practice
from hub.search import sync
from hub.search.caches import READERS_CACHED, bounded
from hub.search.check import check_index
from hub.search.index import SearchIndex
from hub.search.limits import AnonymousSearchLimit
from hub.search.probe import PracticeProbe
from hub.search.searching import SearchRequest, SearchResult, reader_key, search
from hub.search.searchlog import log_search
from hub.search.similar import similar
from hub.visibility import listed_clause, listed_statuses
from hub.vocabulary import Status

log = logging.getLogger(__name__)


@dataclass
class ListedPage:
    slugs: list[str]  # the page's practices, in list order
    total: int
    facets: dict[str, dict[str, int]]  # facet → value → count (the query, the other filters, the view)


class SearchService:
    """Search for one app (one per worker process, shared by its threads)."""

    def __init__(self, app: Flask, index: SearchIndex) -> None:
        self.app = app
        self.index = index
        self.anonymous_limit = AnonymousSearchLimit()
        # the listed-for-this-reader statement of ``_listed_slugs``: building it costs 3× running it
        self.listed_checks: SizedLRU[sa.Select[tuple[str]]] = bounded(READERS_CACHED)

    # --- readers -------------------------------------------------------------------------------
    def search(self, user: Any, req: SearchRequest, *, source: str) -> SearchResult:
        """The search page and ``GET /api/v1/search``: hits with snippets and facets, logged."""
        self._admit(user, req)
        result = self._search(user, req)
        checked = self._checked(user, req, result)  # before the log's commit: one transaction
        log_search(req, result, source)
        return checked

    def list_page(self, user: Any, req: SearchRequest, *, source: str) -> ListedPage:
        """One page of what ``user`` may see in lists, narrowed by ``req``; searches with words are
        logged. The list pages and ``GET /api/v1/practices`` ask the index like the search page:
        the same visibility rule, German matching and facet counts. Without words the order is
        newest first (publication date, then index order), with words by relevance; every word is
        demanded as typed (partial matches are the search page's, ``hub.search.partial``). The caller loads
        the rows by slug, in this order, checking the visibility rule once more."""
        self._admit(user, req)
        result = self._search(user, replace(req, widen=False), highlight=False)  # as their help says
        if result.query:
            log_search(req, result, source)
        return ListedPage([hit.card["slug"] for hit in result.hits], result.total, result.facets)

    def find(self, user: Any, req: SearchRequest) -> SearchResult:
        """Hits without facets or highlights, neither logged nor limited, for callers that load the
        rows from the database with the visibility rule themselves (saved searches, matching).
        Every word as typed (``widen=False``): a saved search's feed never fills with practices
        having only some of its words, and stays what a watcher's probe (``hub.search.probe``) checks."""
        return self._search(user, replace(req, widen=False), facets=False, highlight=False)

    def similar(self, user: Any, practice_id: int, limit: int = 5) -> list[dict[str, Any]]:
        """ "Ähnliche Praxisbeispiele" (index cards); empty, never an error, when search is unavailable."""
        try:
            cards = similar(self.index, user, practice_id, limit)
            shown = self._listed_slugs(user, [card["slug"] for card in cards], [])
        except Exception:
            log.exception("similar practices unavailable")
            return []
        return [card for card in cards if card["slug"] in shown]

    def probe(self, practice: Practice) -> PracticeProbe:
        """A one-practice index of ``practice`` as it is now (for watchers); close it after use."""
        return PracticeProbe(practice)

    # --- keeping in step -----------------------------------------------------------------------
    def rebuild_after(self, session: sa.orm.Session, progress: Any = None) -> int | None:
        """For a bulk write (an import of thousands of practices) that committed with
        ``sync.DEFERRED`` set: build the whole index anew in parallel processes instead of applying
        one outbox row per practice, as the commit's sync would have done. None when this app does
        not sync after commits (the rows stay pending for ``hub index update``)."""
        if not self.app.config.get("SEARCH_SYNC_AFTER_COMMIT", True):
            return None
        with sa.orm.Session(bind=session.get_bind()) as own:
            return self.index.rebuild(own, progress=progress)

    # --- operations (health, metrics, the scheduler) --------------------------------------------
    def folder(self) -> str:
        """The index folder of this host (a label for metrics)."""
        return str(self.index.root)

    def open_searcher(self) -> None:
        """Open a searcher once: raises when the index cannot be read."""
        self.index.searcher()

    def document_count(self) -> int:
        return self.index.doc_count()

    def pending(self, session: sa.orm.Session) -> tuple[int, datetime | None]:
        """Outbox rows this host's index has not applied yet, and when the oldest was written."""
        return self.index.pending(session)

    def check_and_repair(self, session: sa.orm.Session) -> str:
        """Compare index and database (``hub index check``); on drift apply the pending outbox rows
        and compare again. Returns the summary."""
        report = check_index(self.index, session)
        if report.ok:
            return report.summary()
        applied = self.index.apply_pending(session)
        again = check_index(self.index, session)
        if not again.ok:
            log.warning("index drift remains after applying %d row(s): %s", applied, again.problems[:5])
        return f"repaired by applying {applied} row(s): {again.summary()}"

    def sync_if_stale(self) -> None:
        sync.sync_if_stale(self.app)

    # --- inside --------------------------------------------------------------------------------
    def _search(
        self, user: Any, req: SearchRequest, *, facets: bool = True, highlight: bool = True
    ) -> SearchResult:
        self.sync_if_stale()
        return search(self.index, db.session(), user, req, facets=facets, highlight=highlight)

    def _admit(self, user: Any, req: SearchRequest) -> None:
        """Anonymous searches with words count against the client address's limit."""
        if req.q and not is_member(user) and has_request_context():
            per_minute = int(self.app.config["SEARCH_ANONYMOUS_PER_MINUTE"])
            self.anonymous_limit.admit(request.remote_addr or "unknown", per_minute)

    def _checked(self, user: Any, req: SearchRequest, result: SearchResult) -> SearchResult:
        """``result`` without hits the database no longer lists for ``user`` (hidden, withdrawn or
        deleted since the index saw them): one query per page, as the lists do."""
        if not result.hits:
            return result
        shown = self._listed_slugs(user, [hit.card["slug"] for hit in result.hits], req.statuses)
        if len(shown) == len(result.hits):
            return result
        return replace(result, hits=[hit for hit in result.hits if hit.card["slug"] in shown], rendered={})

    def _listed_slugs(self, user: Any, slugs: list[str], statuses: list[str]) -> set[str]:
        """Which of ``slugs`` the database lists for ``user`` in ``statuses`` (one query)."""
        if not slugs:
            return set()
        shown = listed_statuses(user, statuses)
        key = (reader_key(user), shown)
        stmt = self.listed_checks.get_or_compute(key, lambda: _listed_check(user, shown))
        return set(db.session.scalars(stmt, {"slugs": slugs}))


def _listed_check(user: Any, statuses: tuple[Status, ...]) -> sa.Select[tuple[str]]:
    """The slugs among ``:slugs`` listed for ``user``. The rows are found by the slug index first:
    with ``slug IN`` beside the status condition, SQLite (without statistics) walks the status
    index instead, 10× slower at 3,000 practices."""
    by_slug = sa.select(Practice.id).where(Practice.slug.in_(sa.bindparam("slugs", expanding=True)))
    return sa.select(Practice.slug).where(Practice.id.in_(by_slug), listed_clause(user, statuses))


def search_service(app: Flask | None = None) -> SearchService:
    """The app's search service (the current app's by default)."""
    return (app or current_app).extensions["search"]
