"""The search index on disk: open, keep in step with the outbox, rebuild and swap, check.

Layout of ``INDEX_DIR``::

    current -> gen-20261127-213000-ab12cd     symlink, swapped atomically by ``rebuild``
    gen-…/                                     a Whoosh index plus ``applied.json``

``applied.json`` says which outbox rows this index has applied: every id up to ``low`` and the ids
in ``above``. Ids of concurrent transactions can commit out of order, so a missing id is only
skipped once the rows after it are older than ``GAP_GRACE_SECONDS``.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError
from whoosh.query import Every
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from hub.markdown import plain_text
from hub.models import OutboxEvent, Practice
from hub.search.analysis import analysis_version
from hub.search.caches import SearcherCaches, Timed
from hub.search.documents import document, load_practices, make_schema
from hub.search.pool import install as install_pool
from hub.search.rebuild import default_procs, write_all

if TYPE_CHECKING:  # types only: both import this module
    from hub.search.parsing import Synonyms
    from hub.search.postings import SegmentData

log = logging.getLogger(__name__)

STATE_FILE = "applied.json"
MERGE_AT = 8  # this many segments of one size class: merge them in a background thread (``merge_choice``)
MERGE_QUIET = 1.0  # … once no write has come for this many seconds
MERGE_WAIT_MAX = 10.0  # … or at the latest after this long (steady writes: segments gather meanwhile)
GAP_GRACE_SECONDS = 600
CURRENT = "current"

Progress = Callable[[int], None]


class Codec(W3Codec):
    """whoosh's codec without per-posting length statistics. They serve whoosh's own block-max
    scoring, which this engine does not use (``ranking.py`` reads the documents' lengths column),
    and gathering them reads each document's length back from disk for every posting written:
    about a sixth of a rebuild's time. Segments written with it name this class in the index's
    table of contents, so it keeps its name and module."""

    length_stats = False


def _writer(ix: Any, **options: Any) -> SegmentWriter:
    """A segment writer with our codec and our pool of postings (``hub.search.pool``)."""
    return install_pool(ix.writer(codec=Codec(), **options), getattr(ix.storage, "folder", None))


@dataclass
class AppliedState:
    """The outbox ids an index has applied: all ids ≤ ``low`` and those in ``above``."""

    low: int = 0
    above: set[int] = field(default_factory=set)

    def has(self, outbox_id: int) -> bool:
        return outbox_id <= self.low or outbox_id in self.above

    def advance(self, rows: list[tuple[int, datetime]], now: datetime) -> None:
        """Move ``low`` over applied ids; over a gap only when the row after it is old enough."""
        created = dict(rows)
        for outbox_id in sorted(self.above):
            gap = outbox_id != self.low + 1
            if gap and created.get(outbox_id, now) > now - timedelta(seconds=GAP_GRACE_SECONDS):
                break
            self.low = outbox_id
            self.above.discard(outbox_id)

    @classmethod
    def load(cls, folder: Path) -> AppliedState:
        try:
            data = json.loads((folder / STATE_FILE).read_text("utf-8"))
            return cls(int(data["low"]), {int(i) for i in data["above"]})
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, folder: Path) -> None:
        tmp = folder / f".{STATE_FILE}.{uuid.uuid4().hex}"
        tmp.write_text(json.dumps({"low": self.low, "above": sorted(self.above)}), "utf-8")
        os.replace(tmp, folder / STATE_FILE)


class SearchIndex:
    """One index folder; one instance per app (per worker process), shared by its threads."""

    def __init__(
        self, root: str | Path, lock_timeout: float = 10.0, retries: int = 3, merge_at: int = MERGE_AT
    ) -> None:
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.retries = retries
        self.merge_at = merge_at
        self._merging = threading.Lock()
        self._waiting = False
        self._last_write = 0.0
        self._lock = threading.RLock()
        self._folder: Path | None = None
        self._ix: Any = None
        self._searcher: Searcher | None = None
        self.caches = SearcherCaches()  # derived from the current searcher, replaced with it
        self.segments: dict[str, SegmentData] = {}  # per-segment postings and lengths, kept across refreshes
        self.synonyms: Timed[Synonyms] | None = None  # ``searching.synonyms_for``: expires after a while
        self.last_check = 0.0  # when ``sync.sync_if_stale`` last looked for others' outbox rows

    # --- folders -------------------------------------------------------------------------------
    def folder(self) -> Path:
        """The generation folder ``current`` points at, created empty when there is none."""
        link = self.root / CURRENT
        if link.exists():
            return link.resolve()
        with self._lock:
            if link.exists():
                return link.resolve()
            fresh = self._new_folder()
            whoosh_index.create_in(str(fresh), make_schema())
            AppliedState().save(fresh)
            self._point_at(fresh)
            return fresh

    def _new_folder(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.root / f"gen-{stamp}-{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        return folder

    def _point_at(self, folder: Path) -> None:
        """Swap ``current`` to ``folder`` atomically (rename of a symlink)."""
        tmp = self.root / f".{CURRENT}-{uuid.uuid4().hex}"
        os.symlink(folder.name, tmp)
        os.replace(tmp, self.root / CURRENT)

    def _open(self) -> Any:
        folder = self.folder()
        if self._ix is None or folder != self._folder:
            self._ix = whoosh_index.open_dir(str(folder))
            self._folder = folder
            self._drop_searcher()
        return self._ix

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self.caches = SearcherCaches()
        self.segments = {}

    # --- reading -------------------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The worker's searcher, refreshed only when the index changed (or was swapped)."""
        with self._lock:
            ix = self._open()
            if self._searcher is None:
                self._searcher = ix.searcher()
                self.caches = SearcherCaches()
            elif not self._searcher.up_to_date():
                # A fresh searcher, not ``refresh()``: whoosh would reuse the reader of a segment
                # whose deletions changed and keep showing the old version of an updated practice.
                self._searcher.close()
                self._searcher = ix.searcher()
                self.caches = SearcherCaches()
            return self._searcher

    def outdated(self) -> bool:
        """The index on disk was built with another schema or analysis (an earlier version of the
        hub), or names analysis classes this version no longer has: rebuild it."""
        problem = None
        with warnings.catch_warnings():  # whoosh leaves the table of contents open when unpickling fails
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                schema = self._open().schema
            except (AttributeError, ImportError, pickle.UnpicklingError) as error:  # its pickled analyzers
                problem = str(error)
        if problem is not None:
            log.warning("search index unreadable by this version (%s): it counts as outdated", problem)
            return True
        return _shape(schema) != _shape(make_schema())

    def state(self) -> AppliedState:
        return AppliedState.load(self.folder())

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    def close(self) -> None:
        with self._lock:
            self._drop_searcher()
            self._ix = None

    # --- keeping in step -----------------------------------------------------------------------
    def apply_pending(self, session: Session) -> int:
        """Apply outbox rows this index has not applied yet; returns how many. Retries on a busy lock."""
        for attempt in range(self.retries):
            try:
                return self._apply_pending_once(session)
            except LockError:
                log.info("search index busy (attempt %d), retrying", attempt + 1)
                time.sleep(0.05 * (attempt + 1))
        log.warning("search index busy: outbox rows stay pending for the next sync")
        return 0

    def _apply_pending_once(self, session: Session) -> int:
        folder = self.folder()
        _render_pending(session, AppliedState.load(folder))  # Markdown is never rendered under the lock
        ix = whoosh_index.open_dir(str(folder))
        writer = _writer(ix, timeout=self.lock_timeout)  # the writer lock serialises all processes
        try:
            state = AppliedState.load(folder)  # read under the lock: another process may have moved it
            rows = session.execute(
                sa.select(OutboxEvent.id, OutboxEvent.practice_id, OutboxEvent.created_at)
                .where(OutboxEvent.id > state.low)
                .order_by(OutboxEvent.id)
            ).all()
            pending = [row for row in rows if not state.has(row.id)]
            if not pending:
                writer.cancel()
                return 0
            if any(row.practice_id is None for row in pending):
                _reindex_all(writer, session)
            else:
                _reindex(writer, session, sorted({row.practice_id for row in pending}))
            sizes = [segment.doc_count_all() for segment in writer.segments] + [writer.doc_count()]
            writer.commit(merge=False)  # merging happens in the background (``merge_small``)
            state.above.update(row.id for row in pending)
            state.advance([(row.id, row.created_at) for row in rows], datetime.now(UTC))
            state.save(folder)
            if merge_choice(sizes, self.merge_at):
                self._merge_in_background()
            return len(pending)
        except BaseException:
            writer.cancel()
            raise

    def pending_count(self, session: Session) -> int:
        return self.pending(session)[0]

    def pending(self, session: Session) -> tuple[int, datetime | None]:
        """How many outbox rows this index has not applied yet, and when the oldest was written."""
        state = self.state()
        rows = session.execute(
            sa.select(OutboxEvent.id, OutboxEvent.created_at).where(OutboxEvent.id > state.low)
        ).all()
        waiting = [row.created_at for row in rows if not state.has(row.id)]
        return len(waiting), min(waiting, default=None)

    # --- rebuild -------------------------------------------------------------------------------
    def rebuild(self, session: Session, progress: Progress | None = None, procs: int | None = None) -> int:
        """Build a complete new index in a new folder and swap it in; searches keep working meanwhile.
        ``procs``: processes that write it (``hub.search.rebuild``), by default one per core."""
        state = _snapshot_state(session)  # before reading practices: they are at least this new
        folder = self._new_folder()
        ix = whoosh_index.create_in(str(folder), make_schema())
        try:
            count = write_all(ix, session, _writer, progress, default_procs() if procs is None else procs)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        state.save(folder)
        previous = (self.root / CURRENT).resolve() if (self.root / CURRENT).exists() else None
        self._point_at(folder)
        self.apply_pending(session)  # what was written while we built
        self._remove_old(keep={folder, previous})
        return count

    def add(self, practices: Iterable[Practice]) -> None:
        """Index ``practices`` directly, bypassing the outbox — for throw-away indexes only (a probe)."""
        writer = _writer(whoosh_index.open_dir(str(self.folder())), timeout=self.lock_timeout)
        try:
            for practice in practices:
                writer.add_document(**document(practice))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def install_copy(self, source: Path) -> None:
        """Swap in a copy of another index folder (tests reset the index to a known state)."""
        folder = self._new_folder()
        shutil.copytree(source, folder, dirs_exist_ok=True)
        previous = (self.root / CURRENT).resolve() if (self.root / CURRENT).exists() else None
        self._point_at(folder)
        self.close()
        self._remove_old(keep={folder, previous})

    def _remove_old(self, keep: set[Path | None]) -> None:
        """Delete generations older than the previous one (a searcher may still read the previous)."""
        for old in self.root.glob("gen-*"):
            if old.resolve() not in keep:
                shutil.rmtree(old, ignore_errors=True)

    # --- maintenance ---------------------------------------------------------------------------
    def _merge_in_background(self) -> None:
        self._last_write = time.monotonic()
        if self._merging.locked() or self._waiting:
            return
        self._waiting = True
        threading.Thread(target=self._merge_when_quiet, name="search-merge", daemon=True).start()

    def _merge_when_quiet(self) -> None:
        """Merge once no write has come for ``MERGE_QUIET`` seconds (or after ``MERGE_WAIT_MAX``):
        a merge holds the writer lock, and a publish should not wait for it."""
        started = time.monotonic()
        try:
            while True:
                quiet = time.monotonic() - self._last_write
                if quiet >= MERGE_QUIET or time.monotonic() - started >= MERGE_WAIT_MAX:
                    break
                time.sleep(MERGE_QUIET - quiet + 0.01)
        finally:
            self._waiting = False
        self.merge_small()

    def merge_small(self) -> bool:
        """Merge what ``merge_choice`` picks unless another writer is busy; False when it gave way.

        Writes commit without merging so that a publish never waits for a merge; this runs after
        them, off the request path, and gives way at once when another process holds the lock.
        """
        if not self._merging.acquire(blocking=False):
            return False
        try:
            ix = whoosh_index.open_dir(str(self.folder()))
            writer = _writer(ix, timeout=0)
        except LockError:
            self._merging.release()
            return False
        except Exception:
            self._merging.release()
            log.exception("search index: background merge could not start")
            return False
        try:
            if merge_choice([segment.doc_count_all() for segment in writer.segments], self.merge_at):
                writer.commit(mergetype=self._merge_policy)
            else:
                writer.cancel()  # another process merged already
            return True
        except Exception:
            log.exception("search index: background merge failed")
            with suppress(Exception):
                writer.cancel()
            return False
        finally:
            self._merging.release()

    def _merge_policy(self, writer: SegmentWriter, segments: list[Any]) -> list[Any]:
        """whoosh's merge hook: add the chosen segments to the writer's new one, keep the others."""
        chosen = merge_choice([segment.doc_count_all() for segment in segments], self.merge_at)
        for position in sorted(chosen):
            writer.add_reader(SegmentReader(writer.storage, writer.schema, segments[position]))
        return [segment for position, segment in enumerate(segments) if position not in chosen]

    def segment_sizes(self) -> list[int]:
        """Documents per segment, deleted ones included."""
        return [segment.doc_count_all() for segment in whoosh_index.open_dir(str(self.folder()))._segments()]

    def segment_count(self) -> int:
        return len(self.segment_sizes())

    def optimize(self) -> None:
        """Merge all segments into one and drop deleted documents (``hub index optimize``, for cron)."""
        ix = whoosh_index.open_dir(str(self.folder()))
        writer = _writer(ix, timeout=self.lock_timeout)
        writer.commit(optimize=True)


def merge_choice(sizes: list[int], fanout: int) -> set[int]:
    """Which segments (positions in ``sizes``, their document counts) to merge into one.

    Segments fall into size classes, powers of ``fanout``; a class holding ``fanout`` segments is
    merged, and the merged segment counts in the class it grows into (a log merge policy, as in
    Lucene). Every document is merged about log(N) times, a merge joins segments of like size, and
    no class keeps more than ``fanout`` − 1 segments however long writes go on. (whoosh's own
    MERGE_SMALL merges about four of the smallest at a time, and under steady writes the segment
    count kept growing.)
    """
    fanout = max(2, fanout)
    classes: dict[int, list[int]] = {}
    for position, size in enumerate(sizes):
        classes.setdefault(_size_class(size, fanout), []).append(position)
    chosen: set[int] = set()
    merged = 0
    for size_class in sorted(classes):
        members = classes[size_class]
        joined = 1 if merged and _size_class(merged, fanout) == size_class else 0
        if len(members) + joined >= fanout:
            chosen.update(members)
            merged += sum(sizes[position] for position in members)
    return chosen


def _size_class(size: int, fanout: int) -> int:
    size_class = 0
    while size >= fanout:
        size //= fanout
        size_class += 1
    return size_class


def _shape(schema: Any) -> dict[str, str]:
    """Field types and formats, and the version of the German analysis each field's terms come from:
    an analysis change inside the same field types makes old indexes outdated too."""
    shape = {}
    for name, fld in schema.items():
        version = analysis_version(getattr(fld, "analyzer", None))
        shape[name] = f"{_whoosh_type(fld)}/{type(fld.format).__name__}/{version}"
    return shape


def _whoosh_type(fld: Any) -> str:
    """The name of the whoosh field type a field is or extends (``hub.search.fields.Text`` is a ``TEXT``
    with the same postings: an index written with either is current)."""
    return next(cls.__name__ for cls in type(fld).__mro__ if cls.__module__.startswith("whoosh."))


def _snapshot_state(session: Session) -> AppliedState:
    """The outbox as of now: rows older than the grace period are certainly reflected by a full read."""
    cutoff = datetime.now(UTC) - timedelta(seconds=GAP_GRACE_SECONDS)
    rows = session.execute(sa.select(OutboxEvent.id, OutboxEvent.created_at).order_by(OutboxEvent.id)).all()
    state = AppliedState()
    old = [row.id for row in rows if row.created_at < cutoff]
    state.low = max(old, default=0)
    state.above = {row.id for row in rows if row.id > state.low}
    return state


def _render_pending(session: Session, state: AppliedState) -> None:
    """Render the plain text of the practices pending rows name, before the writer lock is taken:
    ``document`` then finds it in ``hub.markdown``'s cache."""
    rows = session.execute(
        sa.select(OutboxEvent.id, OutboxEvent.practice_id).where(OutboxEvent.id > state.low)
    ).all()
    ids = sorted({row.practice_id for row in rows if row.practice_id is not None and not state.has(row.id)})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for body in session.scalars(sa.select(Practice.body).where(Practice.id.in_(chunk))):
            plain_text(body)


def _reindex(writer: SegmentWriter, session: Session, ids: Iterable[int]) -> None:
    ids = list(ids)
    found: set[int] = set()
    for practice in load_practices(session, ids):
        writer.update_document(**document(practice))
        found.add(practice.id)
    for practice_id in ids:
        if practice_id not in found:  # deleted from the database
            writer.delete_by_term("id", str(practice_id))


def _reindex_all(writer: SegmentWriter, session: Session) -> None:
    ids = list(session.scalars(sa.select(Practice.id)))
    with suppress(Exception):
        writer.delete_by_query(_every())
    _reindex(writer, session, ids)


def _every() -> Any:
    return Every()
