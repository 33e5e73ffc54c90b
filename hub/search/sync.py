"""Keeping the index in step: after every commit that wrote outbox rows, at start-up, on demand.

The rows are written by ``hub.search.outbox`` (a flush listener), in the transaction of the change.

A failure here never reaches the user: the outbox rows stay pending and the next sync — the next
write, the next search after a while, ``hub index update`` or the next start — applies them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from hub.extensions import db
from hub.models import OutboxEvent, Practice
from hub.search.index import SearchIndex

log = logging.getLogger(__name__)

PENDING = "hub.search.pending"
# session.info: commits leave the outbox rows pending (a bulk write then calls
# ``SearchService.rebuild_after``)
DEFERRED = "hub.search.deferred"
_registered = False


def get_index(app: Flask | None = None) -> SearchIndex:
    app = app or current_app
    return app.extensions["search"].index


def register_session_hooks() -> None:
    """Session events (once per process): note outbox writes at flush, sync after commit."""
    global _registered
    if _registered:
        return
    event.listen(Session, "before_flush", _note_outbox_rows)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _forget)
    _registered = True


def _note_outbox_rows(session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(obj, OutboxEvent) for obj in session.new):
        session.info[PENDING] = True


def _forget(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(PENDING, None)


def _after_commit(session: Session) -> None:
    if not session.info.pop(PENDING, False) or not has_app_context() or session.info.get(DEFERRED):
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy
    if "search" not in app.extensions or not app.config.get("SEARCH_SYNC_AFTER_COMMIT", True):
        return
    sync(app, session.get_bind())


def sync(app: Flask, bind: Any = None) -> int:
    """Apply pending outbox rows to this app's index; logs (never raises) on failure."""
    index = get_index(app)
    try:
        with Session(bind=bind or _engine(app)) as session:
            return index.apply_pending(session)
    except Exception:
        log.exception("search index sync failed; outbox rows stay pending")
        return 0


def sync_if_stale(app: Flask, every: float = 2.0) -> None:
    """Before a search: pick up rows another host or process committed (at most every ``every`` s)."""
    index = get_index(app)
    now = time.monotonic()
    if now - index.last_check < every:
        return
    index.last_check = now
    try:
        with Session(bind=_engine(app)) as session:
            if index.pending_count(session):
                index.apply_pending(session)
    except Exception:
        log.exception("search index sync failed; outbox rows stay pending")


def startup(app: Flask) -> None:
    """At start: build the index when it is empty (but the hub is not) or outdated, else sync it."""
    index = get_index(app)
    engine = _engine(app)
    try:
        if not sa.inspect(engine).has_table(OutboxEvent.__tablename__):
            return  # no schema yet: `hub init` / `hub db upgrade` comes first
        with Session(bind=engine) as session:
            outdated = index.outdated()  # first: an outdated index may not even open
            if outdated or (index.doc_count() == 0 and session.scalar(sa.select(sa.func.count(Practice.id)))):
                index.rebuild(session)  # first start, or the index predates this version's schema
            else:
                index.apply_pending(session)
    except Exception as error:  # noqa: BLE001 - the hub starts anyway; the next change or a rebuild syncs
        log.warning("search index not synced at start-up: %s", error)
    finally:
        engine.dispose()  # no connection outlives start-up (an app may be built and dropped unused)


def _engine(app: Flask) -> Any:
    with app.app_context():
        return db.engine
