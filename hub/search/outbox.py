"""Which database changes the index must follow, decided here, at flush time, for every writer.

A flush listener looks at what the session is about to write and adds an outbox row for each
practice whose search document (``hub.search.documents``) may change: the practice itself, its
experience reports (their notes are searched), its attached files (name, title, extracted text),
and what documents carry of its centre, sectors, topics and tags (name, slug, state) — a renamed
sector gets a row for every practice in it, not a "reindex all" row: that is never more work for
the index, usually much less. Operations, the import and scripts thus cannot forget the index;
``hub.search.sync`` applies the rows after the commit.

One row per practice and transaction is enough: the row only says "look at practice N again", and
the sync reads the committed state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from hub.models import (
    Attachment,
    Centre,
    ExperienceReport,
    OutboxEvent,
    Practice,
    Sector,
    Tag,
    Topic,
    practice_sectors,
    practice_tags,
    practice_topics,
)

CHANGED = "hub.search.changed"  # session.info: practice (object, reason) pairs seen before this flush
WRITTEN = "hub.search.written"  # session.info: practice ids with a row in this transaction

# Practice attributes no search document reads (bookkeeping and links): changing them alone is no reindex.
NOT_INDEXED = frozenset({"links", "backlinks", "revisions", "head", "head_revision_id", "modified_at"})
# What documents carry of a centre, sector, topic or tag (``documents.document``).
VOCABULARY: dict[type, tuple[str, ...]] = {
    Centre: ("slug", "name", "state"),
    Sector: ("name",),
    Topic: ("slug", "name"),
    Tag: ("name",),
}

# What documents carry of an attached file: its name, title and extracted text.
ATTACHMENT_INDEXED = ("file_name", "title", "text")

_registered = False


def register_session_hooks() -> None:
    """Flush listeners on every session (once per process)."""
    global _registered
    if _registered:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    _registered = True


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Note what changes, while the old state (a deleted tag's practices) can still be read."""
    changed: list[tuple[Any, str]] = session.info.setdefault(CHANGED, [])
    for obj in session.new:
        if isinstance(obj, Practice):
            changed.append((obj, "saved"))
        elif isinstance(obj, ExperienceReport):
            changed.append((obj.practice or obj.practice_id, "experiences"))
        elif isinstance(obj, Attachment):
            changed.append((obj.practice_id, "attachments"))
    for obj in session.dirty:
        if isinstance(obj, Practice) and (reason := _practice_change(obj)):
            changed.append((obj, reason))
        elif isinstance(obj, ExperienceReport) and _modified(obj):
            changed.extend((owner, "experiences") for owner in _owners(obj))
        elif isinstance(obj, Attachment) and _modified(obj, only=ATTACHMENT_INDEXED):
            changed.append((obj.practice_id, "attachments"))
        elif type(obj) in VOCABULARY and _modified(obj, only=VOCABULARY[type(obj)]):
            changed.extend(_practices_of(session, obj))
    for obj in session.deleted:
        if isinstance(obj, Practice):
            changed.append((obj, "deleted"))
        elif isinstance(obj, ExperienceReport):
            changed.append((obj.practice_id, "experiences"))
        elif isinstance(obj, Attachment):
            changed.append((obj.practice_id, "attachments"))
        elif type(obj) in VOCABULARY:
            changed.extend(_practices_of(session, obj))


def _after_flush(session: Session, _context: Any) -> None:
    """Outbox rows for what the flush changed (new practices have their ids now); the commit's next
    flush writes them, in the same transaction."""
    changed = session.info.pop(CHANGED, [])
    written: set[int] = session.info.setdefault(WRITTEN, set())
    for target, reason in changed:
        practice_id = _id(target)
        if practice_id is None or practice_id in written:
            continue  # None: a report of a practice that is not in the database (yet)
        written.add(practice_id)
        session.add(OutboxEvent(practice_id=practice_id, reason=reason))


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None and not transaction.nested:
        return  # the inner transaction of a flush
    # Forget after any commit or rollback (a savepoint's too): at worst a practice gets a second row.
    session.info.pop(WRITTEN, None)
    session.info.pop(CHANGED, None)


def _practice_change(practice: Practice) -> str | None:
    """The outbox reason for a changed practice ("experiences", "tags", "saved"), None if no document
    field changed."""
    changed = {attr.key for attr in inspect(practice).attrs if attr.history.has_changes()} - NOT_INDEXED
    if not changed:
        return None
    return "experiences" if changed == {"experiences"} else "tags" if changed == {"tags"} else "saved"


def _modified(obj: Any, *, only: Iterable[str] | None = None) -> bool:
    """True when one of the object's (``only``) attributes really changed (an equal value is no change)."""
    attrs = inspect(obj).attrs
    names = only if only is not None else [attr.key for attr in attrs]
    return any(attrs[name].history.has_changes() for name in names)


def _owners(report: ExperienceReport) -> list[Any]:
    """The practice a report belongs to, and the one it belonged to if it moved."""
    history = inspect(report).attrs.practice_id.history
    return [report.practice or report.practice_id, *history.deleted]


def _practices_of(session: Session, entry: Any) -> list[tuple[int, str]]:
    """(practice id, reason) for every practice carrying the vocabulary ``entry`` (a changed or
    deleted one: a new entry is carried by no practice yet)."""
    reason = "tags" if isinstance(entry, Tag) else type(entry).__name__.lower()
    return [(practice_id, reason) for practice_id in session.scalars(_carrying(entry))]


def _carrying(entry: Centre | Sector | Topic | Tag) -> sa.Select[tuple[int]]:
    if isinstance(entry, Centre):
        return sa.select(Practice.id).where(Practice.centre_id == entry.id)
    if isinstance(entry, Sector):
        return sa.select(practice_sectors.c.practice_id).where(practice_sectors.c.sector_code == entry.code)
    if isinstance(entry, Topic):
        return sa.select(practice_topics.c.practice_id).where(practice_topics.c.topic_id == entry.id)
    return sa.select(practice_tags.c.practice_id).where(practice_tags.c.tag_id == entry.id)


def _id(target: Any) -> int | None:
    if target is None or isinstance(target, int):
        return target
    return target.id  # set by the flush (``inspect().identity`` is not, before the flush ends)
