"""Domain events: what happened in the hub, announced after the commit that made it happen.

Operations ``emit`` an event; subscribers (notifications, saved-search probes …) connect to the
signal in their package's ``init_app``. Events wait in a queue on the database session and are sent
only once the transaction that emitted them has committed — never inside the write transaction,
and never for a change that was rolled back (a rolled-back savepoint drops its own events).

Each receiver runs in a transaction of its own on the same session, committed after it returns; a
receiver that raises is rolled back and logged, and neither the committed change nor the other
receivers suffer. Events live in memory: a crash between the commit and a receiver loses that
side effect. What must survive a crash goes through the outbox instead (the search index,
``hub.search.outbox``).

The signals and their payloads (``sender`` first, then keyword arguments):

``practice_saved``
    sender: the ``Practice``, which got a new revision (created, edited, restored or imported);
    ``actor``: the ``User`` who saved it (None for an import); ``was_published``: whether the
    revision before this one was a published one (an update rather than a first publication).
``practices_imported``
    sender: None; ``saved``: a list of (practice id, was_published) pairs, one for each practice an
    import (``hub import``) gave a new revision, in the order they got it (``was_published`` as for
    ``practice_saved``). One event for the whole import instead of one ``practice_saved`` per
    practice: receivers load what they need themselves, in batches (an import may bring 50,000).
``practice_status_changed``
    sender: the ``Practice``; ``actor``: the ``User``; ``before`` and ``after``: ``Status``.
``practice_deleted``
    sender: None; ``practice_id``, ``slug``; ``actor``: the ``User``.
``experience_changed``
    sender: the ``Practice``; ``actor``: the ``User``; ``change``: "added", "updated" or "deleted".
``collection_changed``
    sender: the ``Collection`` (gone from the database after "collection.delete"); ``actor``: the
    ``User``; ``action``: what the audit log calls it ("collection.create", "collection.add-practice" …);
    ``slug``: the collection's slug at the time.
``password_reset_requested``
    sender: the ``User`` who asked for a new password; ``token``: the link's secret (only its hash
    is stored), for the mail.
``invitation_sent``
    sender: the ``Invitation`` (new or sent again); ``token``: the link's secret, for the mail.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any, NamedTuple

from blinker import NamedSignal, Namespace
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from hub.extensions import db

log = logging.getLogger(__name__)

_signals = Namespace()
practice_saved = _signals.signal("practice-saved")
practices_imported = _signals.signal("practices-imported")
practice_status_changed = _signals.signal("practice-status-changed")
practice_deleted = _signals.signal("practice-deleted")
experience_changed = _signals.signal("experience-changed")
collection_changed = _signals.signal("collection-changed")
password_reset_requested = _signals.signal("password-reset-requested")
invitation_sent = _signals.signal("invitation-sent")

QUEUED = "hub.events.queued"  # session.info: events of the open transaction
READY = "hub.events.ready"  # session.info: events of committed transactions, not yet sent
COMMITTED = "hub.events.committed"  # session.info: the root transaction committed
SENDING = "hub.events.sending"  # session.info: a dispatch loop is running on this session

_registered = False


class _Pending(NamedTuple):
    signal: NamedSignal
    sender: Any
    payload: dict[str, Any]
    savepoint: SessionTransaction | None  # the innermost savepoint open when it was emitted


def emit(signal: NamedSignal, sender: Any, **payload: Any) -> None:
    """Queue ``signal`` on the current database session: sent after the commit, dropped on rollback."""
    session = db.session()
    session.info.setdefault(QUEUED, []).append(
        _Pending(signal, sender, payload, session.get_nested_transaction())
    )


def init_app(app: Flask) -> None:
    """Send events after commits (the session hooks are process-wide: registered once)."""
    register_session_hooks()


def register_session_hooks() -> None:
    """Session events (once per process) that turn commits into sent events."""
    global _registered
    if _registered:
        return
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    _registered = True


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is None:  # the root transaction, not a released savepoint
        session.info[COMMITTED] = True


def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    queued: list[_Pending] = session.info.get(QUEUED, [])
    if previous.nested:
        queued[:] = [item for item in queued if not _within(item.savepoint, previous)]
    elif previous.parent is None:
        queued.clear()


def _within(savepoint: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while savepoint is not None:
        if savepoint is outer:
            return True
        savepoint = savepoint.parent
    return False


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    queued = session.info.pop(QUEUED, [])
    if not session.info.pop(COMMITTED, False) or not queued:
        return  # rolled back, or closed without a commit: its events never happened
    ready: deque[_Pending] = session.info.setdefault(READY, deque())
    ready.extend(queued)
    if session.info.get(SENDING):
        return  # a receiver committed: the loop below sends what it emitted, in order
    session.info[SENDING] = True
    try:
        while ready:
            _send(session, ready.popleft())
    finally:
        session.info.pop(SENDING, None)


def _send(session: Session, item: _Pending) -> None:
    for receiver in item.signal.receivers_for(item.sender):
        try:
            receiver(item.sender, **item.payload)
            session.commit()
        except Exception:
            session.rollback()
            log.exception("%s receiver %s failed; the change itself is committed", item.signal.name, receiver)
