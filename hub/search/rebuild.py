"""Writing a whole index from the database (``SearchIndex.rebuild``): in several processes when the
machine has the cores and the hub the practices.

One process reads practices, renders their Markdown and analyses them: a realistic write-up costs
about 8 ms of CPU (2026-12-05): rendering ≈ 1.8 ms, analysis, and writing the postings. Whoosh's own
``MpWriter`` parallelises only the analysis (the parent builds and pickles every document), so the
parent's rendering caps it at one core. Here each worker process takes batches of practice ids
from a queue, loads them with its own database connection, builds the documents and writes its own
segment; the parent only hands out ids, shows progress and lists the workers' segments in the
index's table of contents (as ``MpWriter(multisegment=True)`` does). Memory stays bounded: a worker
holds one batch of practices and its postings (``hub.search.pool``: compact arrays per term,
spilled to sorted runs on disk beyond ``limitmb``).

The workers are started by a fork server ("forkserver"): a fresh interpreter that has imported this
module and nothing of the caller's state, so a worker does not inherit the memory of the process
that asked for the rebuild (after ``hub import``, its session, caches and freed-but-held heap). What
a worker needs comes through its arguments: the database URL (it makes its own engine), the index
folder, the writer factory and the document builder.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from hub.models import Practice
from hub.search.documents import document, load_practices

log = logging.getLogger(__name__)

PARALLEL_FROM = 2_000  # practices: fewer are written in this process (starting workers costs more)
BATCH = 200  # practice ids per job
POOL_MB = 384  # posting pools of all workers together (whoosh ``limitmb``), spilled to disk beyond
MAX_PROCS = 8  # more processes than this only add memory: the database and the disk become the limit
RESULT_WAIT = 0.5  # seconds between progress updates while the workers finish

Progress = Callable[[int], None]
WriterFactory = Callable[..., SegmentWriter]
DocumentBuilder = Callable[[Practice], dict[str, Any]]


def default_procs() -> int:
    """Processes for a rebuild when the operator names none: the machine's cores (at most ``MAX_PROCS``)."""
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


def write_all(
    ix: Any, session: Session, make_writer: WriterFactory, progress: Progress | None, procs: int
) -> int:
    """Add every practice of the database to the empty index ``ix``; returns how many."""
    ids = list(session.scalars(sa.select(Practice.id).order_by(Practice.id)))
    procs = max(1, min(procs, MAX_PROCS, len(ids) // BATCH or 1))
    if procs == 1 or len(ids) < PARALLEL_FROM or not _separate_connections(session):
        return _write_here(ix, session, make_writer, progress)
    return _write_in_workers(ix, session, make_writer, progress, procs, ids)


def _separate_connections(session: Session) -> bool:
    """Whether another process can read what this session reads (not an in-memory SQLite database)."""
    url = session.get_bind().engine.url  # the bind may be an Engine or a Connection
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _write_here(ix: Any, session: Session, make_writer: WriterFactory, progress: Progress | None) -> int:
    writer = make_writer(ix, limitmb=POOL_MB)
    count = 0
    try:
        for practice in load_practices(session):
            writer.add_document(**document(practice))
            count += 1
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return count


def _write_in_workers(
    ix: Any,
    session: Session,
    make_writer: WriterFactory,
    progress: Progress | None,
    procs: int,
    ids: list[int],
) -> int:
    context = multiprocessing.get_context("forkserver")  # lean workers, not copies of this process
    context.set_forkserver_preload([__name__])  # the server imports what every worker needs, once
    jobs = context.Queue(procs * 2)
    results = context.Queue()
    done = context.Value("i", 0)
    parent = make_writer(ix)  # holds the index's write lock; its own segment stays empty
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    options = {"limitmb": max(32, POOL_MB // procs)}
    workers = [
        context.Process(
            target=_worker,
            args=(url, ix.storage.folder, ix.indexname, make_writer, document, options, jobs, results, done),
            name=f"index-rebuild-{n}",
            daemon=True,
        )
        for n in range(procs)
    ]
    shown = 0

    def show() -> None:
        nonlocal shown
        if progress and done.value > shown:
            progress(done.value - shown)
            shown = done.value

    try:
        for worker in workers:
            worker.start()
        for start in range(0, len(ids), BATCH):
            _put(jobs, ids[start : start + BATCH], workers, results)
            show()
        for _ in workers:
            _put(jobs, None, workers, results)
        segments: list[Any] = []  # whoosh segments, or None from a worker that wrote nothing
        while len(segments) < len(workers):
            try:
                kind, value = results.get(timeout=RESULT_WAIT)
            except queue.Empty:
                _check_alive(workers, results)
                show()
                continue
            if kind == "error":
                raise RuntimeError(f"an index rebuild process failed:\n{value}")
            segments.append(value)
        for worker in workers:
            worker.join()
        show()
        parent._close_segment()
        parent._commit_toc([segment for segment in segments if segment is not None])
        parent._finish()
    except BaseException:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        parent.cancel()
        raise
    return done.value


def _put(jobs: Any, item: list[int] | None, workers: list[Any], results: Any) -> None:
    while True:
        try:
            jobs.put(item, timeout=RESULT_WAIT)
            return
        except queue.Full:
            _check_alive(workers, results)


def _check_alive(workers: list[Any], results: Any) -> None:
    dead = [worker.name for worker in workers if worker.exitcode not in (None, 0)]
    if dead:
        why = ""
        with suppress(queue.Empty, OSError, EOFError):
            while not why:
                kind, value = results.get(timeout=RESULT_WAIT)
                why = value if kind == "error" else ""
        raise RuntimeError(f"index rebuild process(es) {', '.join(dead)} failed:\n{why}".rstrip())


def _worker(  # the worker's whole context, passed to a fresh process (pickled)
    url: str, folder: str, indexname: str, make_writer: WriterFactory, build: DocumentBuilder,
    options: dict[str, Any], jobs: Any, results: Any, done: Any,
) -> None:
    """Write the practices of the id batches taken from ``jobs`` into one new segment; put
    ("segment", the segment or None when it got no batch) or ("error", the traceback) on ``results``."""
    engine = None
    try:
        engine = sa.create_engine(url, poolclass=NullPool)  # one connection, the worker's own
        with Session(bind=engine) as session:
            ix = whoosh_index.open_dir(folder, indexname=indexname)
            writer = make_writer(ix, _lk=False, **options)
            added = False
            while (chunk := jobs.get()) is not None:
                count = 0
                for practice in load_practices(session, chunk):
                    writer.add_document(**build(practice))
                    count += 1
                session.expunge_all()
                added = added or count > 0
                with done.get_lock():
                    done.value += count
            # The temporary folder is the index's, shared with the parent: it removes it at the end.
            if added:
                results.put(("segment", writer._finalize_segment()))
            else:
                writer._close_segment()  # its files are not in the table of contents: cleaned up
                results.put(("segment", None))
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise
    finally:
        if engine is not None:
            engine.dispose()
