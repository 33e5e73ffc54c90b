"""``hub schedule``: the periodic jobs in one process, on one host at a time.

Jobs: the e-mail digests (``send_digests`` sends only those due, so running it hourly is right),
an index check that repairs drift by applying pending outbox rows, the search log's retention
(``HUB_SEARCH_LOG_RETENTION_DAYS``), forgetting logged-out logins past their lifetime, and — with
``HUB_BACKUP_DIR`` — a nightly ``hub backup`` keeping ``HUB_BACKUP_KEEP`` generations. Other
packages add their own periodic work (pruning, retention) with ``add_job(app, Job(...))`` in their
``init_app``.

Only one host runs the jobs: the scheduler holds a PostgreSQL advisory lock for as long as it runs
(on SQLite, an exclusive lock on ``<instance>/schedule.lock``); another scheduler waits for it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from hub.auth.sessions import prune_ended_logins as prune_logins
from hub.exchange.backup import backup as write_backup
from hub.extensions import db
from hub.following.digest import send_digests
from hub.models._types import utcnow
from hub.search import prune_search_log as prune
from hub.search import search_service

log = logging.getLogger(__name__)
BACKUP_PREFIX = "backup-"
EXTENSION = "hub.schedule"
# One lock per hub: hubs in other schemas of the same database do not block each other.
LOCK_KEY = "hashtext('praxis-hub schedule ' || current_schema())"
TRY_LOCK = sa.text(f"SELECT pg_try_advisory_lock({LOCK_KEY})")
UNLOCK = sa.text(f"SELECT pg_advisory_unlock({LOCK_KEY})")


@dataclass
class Job:
    """A periodic job: ``run`` is called inside an app context every ``every_seconds``."""

    name: str
    every_seconds: float
    run: Callable[[], str | None]


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = []
    add_job(app, Job("digests", 3600, send_due_digests))
    add_job(app, Job("index-check", 60 * float(app.config["SCHEDULE_INDEX_CHECK_MINUTES"]), check_index))
    add_job(app, Job("search-log-retention", 24 * 3600, prune_search_log))
    add_job(app, Job("ended-logins", 24 * 3600, prune_ended_logins))
    if app.config["BACKUP_DIR"]:
        add_job(app, Job("backup", 24 * 3600, backup))


def add_job(app: Flask, job: Job) -> None:
    """Register a periodic job (pruning, retention …) with this app's scheduler."""
    app.extensions[EXTENSION].append(job)


def jobs(app: Flask) -> list[Job]:
    return list(app.extensions[EXTENSION])


# --- the built-in jobs ---------------------------------------------------------------------------
def send_due_digests() -> str:
    report = send_digests()
    return f"{report.users} digest(s) with {report.notifications} notification(s)"


def check_index() -> str:
    """Compare index and database; on drift apply the pending outbox rows and check again."""
    with Session(bind=db.engine) as session:
        return search_service().check_and_repair(session)


def prune_search_log() -> str:
    """Delete search log entries older than ``HUB_SEARCH_LOG_RETENTION_DAYS`` (they can hold client names)."""
    days = int(current_app.config["SEARCH_LOG_RETENTION_DAYS"])
    return f"{prune(days)} search log entries older than {days} days deleted"


def prune_ended_logins() -> str:
    """Forget logged-out logins whose absolute lifetime (``HUB_SESSION_MAX_DAYS``) is over."""
    return f"{prune_logins()} ended login(s) past their lifetime forgotten"


def backup() -> str:
    """A full backup into a new folder below ``HUB_BACKUP_DIR``; only the newest generations stay."""
    root = Path(current_app.config["BACKUP_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{BACKUP_PREFIX}{utcnow().strftime('%Y%m%d-%H%M%S-%f')}"
    counts = write_backup(target)
    removed = prune_backups(root, int(current_app.config["BACKUP_KEEP"]))
    return f"{sum(counts.values())} rows into {target.name}; {len(removed)} old generation(s) removed"


def prune_backups(root: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest backup generations (folders named ``backup-<stamp>``)."""
    generations = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(BACKUP_PREFIX))
    old = generations[: max(0, len(generations) - max(1, keep))]
    for folder in old:
        shutil.rmtree(folder)
    return old


# --- running -------------------------------------------------------------------------------------
def prepare_metrics_folder() -> None:
    """The scheduler's metrics (mails) go to gunicorn's multiprocess folder when it shares it."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)



def run_due(app: Flask, last_run: dict[str, float], now: float) -> list[tuple[str, str]]:
    """Run every job that is due (never run, or its interval has passed); a failing job is logged
    and does not stop the others. Returns (job, outcome) per job run."""
    outcomes = []
    for job in jobs(app):
        if job.name in last_run and now - last_run[job.name] < job.every_seconds:
            continue
        last_run[job.name] = now
        with app.app_context():
            try:
                outcome = job.run() or "done"
                log.info("job %s: %s", job.name, outcome)
            except Exception as error:
                db.session.rollback()
                outcome = f"failed: {type(error).__name__}: {error}"
                log.exception("job %s failed", job.name)
        outcomes.append((job.name, outcome))
    return outcomes


def seconds_to_next(app: Flask, last_run: dict[str, float], now: float) -> float:
    due = [last_run.get(job.name, now) + job.every_seconds - now for job in jobs(app)]
    return max(1.0, min(due, default=60.0))


@contextmanager
def leader_lock(app: Flask, wait: bool) -> Iterator[bool]:
    """Hold the scheduler lock for the duration; yields False when another host holds it (no wait)."""
    with app.app_context():
        url = db.engine.url
        engine = db.engine
    if url.get_backend_name() == "postgresql":
        with _advisory_lock(engine, wait) as held:
            yield held
    else:
        with _file_lock(Path(app.instance_path) / "schedule.lock", wait) as held:
            yield held


@contextmanager
def _advisory_lock(engine: sa.Engine, wait: bool) -> Iterator[bool]:
    with engine.connect() as connection:
        held = False
        while not held:
            held = bool(connection.scalar(TRY_LOCK))
            connection.commit()
            if held or not wait:
                break
            time.sleep(30)
        try:
            yield held
        finally:
            if held:
                connection.execute(UNLOCK)
                connection.commit()


@contextmanager
def _file_lock(path: Path, wait: bool) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        held = _try_flock(handle)
        while not held and wait:
            time.sleep(30)
            held = _try_flock(handle)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _try_flock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
