"""Search: the only package that imports whoosh, and its one interface for the rest of the hub.

Callers outside this package use what is exported here — above all ``search_service()``, the
``SearchService`` registered on the app (search as a reader, list a page, find, similar, probe) —
never its modules. Inside: ``analysis`` (German analyzer), ``documents`` (schema, practice →
document), ``index`` (open, sync, rebuild, swap), ``parsing`` → ``building`` → ``searching``
(with ``highlighting``, ``suggestions``; ``fillers`` of questions, ``partial`` matches by coverage
and ``decompound``-ed query compounds when few practices have every word), ``similar``, ``probe``,
``outbox`` (flush listener: which changes need a reindex), ``sync`` (after-commit hook, start-up),
``check`` (index vs. database),
``limits``, ``searchlog``, ``views`` (the page), ``cli``.
Whoosh internals used are listed in ``WHOOSH.md`` (next to the version pin in pyproject.toml).
"""

from __future__ import annotations

from flask import Flask

from hub.search import cli, outbox, sync
from hub.search.index import SearchIndex
from hub.search.labels import FACET_TITLES, value_label, value_labels
from hub.search.limits import SearchLimitReached
from hub.search.params import FILTER_PARAMS, MAX_PAGE, BadParameter, search_request
from hub.search.parsing import normalise
from hub.search.probe import PracticeProbe
from hub.search.searching import SORTS, Hit, SearchRequest, SearchResult
from hub.search.searchlog import prune_search_log
from hub.search.service import ListedPage, SearchService, search_service
from hub.search.sync import DEFERRED as INDEX_DEFERRED


def init_app(app: Flask) -> None:
    index = SearchIndex(
        app.config["INDEX_DIR"],
        lock_timeout=float(app.config["SEARCH_LOCK_TIMEOUT"]),
        merge_at=int(app.config["SEARCH_MERGE_AT"]),
    )
    app.extensions["search"] = SearchService(app, index)
    outbox.register_session_hooks()
    sync.register_session_hooks()
    cli.init_app(app)
    if app.config.get("SEARCH_SYNC_ON_START", True):
        sync.startup(app)


__all__ = [
    "FACET_TITLES",
    "FILTER_PARAMS",
    "INDEX_DEFERRED",
    "MAX_PAGE",
    "SORTS",
    "BadParameter",
    "Hit",
    "ListedPage",
    "PracticeProbe",
    "SearchLimitReached",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "init_app",
    "normalise",
    "prune_search_log",
    "search_request",
    "search_service",
    "value_label",
    "value_labels",
]
