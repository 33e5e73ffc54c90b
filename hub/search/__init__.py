"""Search: the only package that imports whoosh.

``analysis`` (German analyzer), ``documents`` (schema, practice → document), ``index`` (open, sync,
rebuild, swap), ``query`` (parse, visibility filter, facets, highlights, suggestions, similar),
``outbox`` (flush listener: which changes need a reindex), ``sync`` (after-commit hook, start-up),
``check`` (index vs. database), ``views``/``api``/``cli``.
"""

from __future__ import annotations

from flask import Flask

from hub.search.index import SearchIndex


def init_app(app: Flask) -> None:
    from hub.search import cli, outbox, sync

    app.extensions["search"] = SearchIndex(
        app.config["INDEX_DIR"],
        lock_timeout=float(app.config["SEARCH_LOCK_TIMEOUT"]),
        merge_at=int(app.config["SEARCH_MERGE_AT"]),
    )
    outbox.register_session_hooks()
    sync.register_session_hooks()
    cli.init_app(app)
    if app.config.get("SEARCH_SYNC_ON_START", True):
        sync.startup(app)
