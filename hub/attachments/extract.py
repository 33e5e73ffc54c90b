"""Extracting the searchable text of attached files: after the commit, bounded, stored on the row.

Each file is read by ``readers.py`` in a child process limited in time, CPU and memory, so an
encrypted, damaged, endless or hostile file costs at most ``ATTACHMENT_EXTRACT_SECONDS`` and never
the worker. The text (at most ``ATTACHMENT_TEXT_CHARS`` characters, ``ATTACHMENT_TEXT_PAGES``
pages) is stored on the attachment, so rebuilding the index never reads a file again; a change of
it writes an outbox row for the practice (``hub.search.outbox``), and the index follows.

Extraction subscribes to ``practice_saved`` (sent after the commit): one background thread per
process reads the queued practices' files in turn, so the request that attached a file is answered
after a normal save and an import never starts more than one extracting process at a time. A file
whose extraction was lost (a crash, a restart) stays "pending" and is read by ``hub uploads
extract`` or the practice's next save.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from hub import events
from hub.attachments import readers
from hub.attachments.files import IMAGE_TYPES
from hub.attachments.operations import file_path
from hub.extensions import db
from hub.models import Attachment, Practice
from hub.models.attachments import TEXT_NONE, TEXT_PENDING, TEXT_UNREADABLE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    state: str
    text: str | None
    reason: str = ""


def init_app(app: Flask) -> None:
    events.practice_saved.connect(_on_practice_saved)
    events.practices_imported.connect(_on_practices_imported)


def extract_file(path: Path, content_type: str) -> Extracted:
    """The text of one stored file, read in a limited child process."""
    if content_type in IMAGE_TYPES:
        return Extracted(TEXT_NONE, None)
    if path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return Extracted(TEXT_UNREADABLE, None, "encrypted")  # an encrypted OOXML container
    cfg = current_app.config
    seconds = int(cfg["ATTACHMENT_EXTRACT_SECONDS"])
    command = [
        sys.executable,
        "-I",
        readers.__file__,
        str(path),
        content_type,
        str(int(cfg["ATTACHMENT_TEXT_CHARS"])),
        str(int(cfg["ATTACHMENT_TEXT_PAGES"])),
        str(seconds),
        str(int(cfg["ATTACHMENT_EXTRACT_MEMORY_MB"])),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=seconds + 5, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return Extracted(TEXT_UNREADABLE, None, "timeout")
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        return Extracted(TEXT_UNREADABLE, None, f"reader ended with status {done.returncode}")
    text = _clean(str(result.get("text", ""))) if result.get("state") != TEXT_UNREADABLE else None
    return Extracted(str(result.get("state", TEXT_UNREADABLE)), text, str(result.get("reason", "")))


def extract_pending(practice_id: int | None = None) -> int:
    """Extract every pending file (of one practice); each stored and committed on its own."""
    query = sa.select(Attachment.id).where(Attachment.text_state == TEXT_PENDING).order_by(Attachment.id)
    if practice_id is not None:
        query = query.where(Attachment.practice_id == practice_id)
    done = 0
    for attachment_id in list(db.session.scalars(query)):
        attachment = db.session.get(Attachment, attachment_id)
        if attachment is None or attachment.text_state != TEXT_PENDING:
            continue
        result = extract_file(file_path(attachment.sha256), attachment.content_type)
        attachment.text, attachment.text_state = result.text, result.state
        log.info("text of attachment %d: %s %s", attachment.id, result.state, result.reason)
        db.session.commit()
        done += 1
    return done


def _on_practice_saved(practice: Practice, **_: Any) -> None:
    if not any(a.text_state == TEXT_PENDING for a in practice.attachments):
        return
    if not current_app.config["ATTACHMENT_EXTRACT_IN_BACKGROUND"]:
        extract_pending(practice.id)
        return
    _queue.put((current_app._get_current_object(), practice.id))  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy
    _start_worker()


def _on_practices_imported(_sender: Any, *, saved: list[tuple[int, bool]], **_: Any) -> None:
    """The practices of an import with files still pending (one query per thousand practices)."""
    ids = [practice_id for practice_id, _was_published in saved]
    for start in range(0, len(ids), 1000):
        pending = sa.select(Attachment.practice_id).where(
            Attachment.practice_id.in_(ids[start : start + 1000]), Attachment.text_state == TEXT_PENDING
        )
        for practice_id in sorted(set(db.session.scalars(pending))):
            _on_practice_saved(db.session.get_one(Practice, practice_id))


# One worker thread per process reads the files one after another: an import of thousands of
# practices with files queues them instead of starting thousands of extracting processes at once.
_queue: queue.Queue[tuple[Flask, int]] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _start_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="attachment-text", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        app, practice_id = _queue.get()
        with app.app_context():
            try:
                extract_pending(practice_id)
            except Exception:
                log.exception("text extraction of practice %d failed; its files stay pending", practice_id)
            finally:
                db.session.remove()
        _queue.task_done()


def _clean(text: str) -> str:
    """No NUL or other control characters (PostgreSQL refuses NUL in text)."""
    return "".join(c if c >= " " or c in "\n\t" else " " for c in text)
