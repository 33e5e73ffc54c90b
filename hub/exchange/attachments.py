"""Attached files in a content folder: ``attachments/<sha256>`` (one file per content) and
``attachments.yml``, one line per file of a practice, in the practice's order:

    - {practice: ki-angebote-tischlerei, file: <sha256>, name: Checkliste.pdf, title: Checkliste,
       note: "…", uploader: aschmidt, uploaded: '2026-12-04T18:00:00.123456+00:00'}

(``note`` and ``uploader`` only when known). Both are written only when the hub has attachments,
and checked like every other file on import: the content must have the hash it is named by and be
a type the hub accepts (decided by content again), names are normalised as on upload, practices
must exist in the folder or the hub. A practice listed in ``attachments.yml`` gets exactly those
files, in that order (a revision when that changes); practices not listed keep theirs.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer

from hub.attachments.files import IMAGE_TYPES, AttachmentRefused, normalise_name, sniff
from hub.attachments.operations import MAX_NOTE, MAX_TITLE, file_path, store
from hub.exchange import yamlwrite
from hub.exchange.fields import Checker, Problems
from hub.exchange.yamlio import FormatError, load_yaml, read_text
from hub.extensions import db
from hub.models import Attachment, Practice, User
from hub.models.attachments import TEXT_NONE, TEXT_PENDING
from hub.practices.operations import record_revision

FILE = "attachments.yml"
FOLDER = "attachments"
KEYS = ("practice", "file", "name", "title", "note", "uploader", "uploaded")


@dataclass(frozen=True)
class AttachmentEntry:
    practice: str
    sha256: str
    name: str
    title: str
    note: str
    content_type: str
    size: int
    uploader: str | None
    uploaded: datetime | None


def export_attachments(target: Path) -> None:
    """Every practice's files (and their bytes, once per hash) — nothing when there are none."""
    rows = db.session.execute(
        sa.select(Attachment, Practice.slug)
        .join(Practice, Practice.id == Attachment.practice_id)
        .options(defer(Attachment.text))  # not exported: an import extracts the text from the file again
        .order_by(Practice.slug, Attachment.position, Attachment.id)
    ).all()
    present = [(a, slug) for a, slug in rows if file_path(a.sha256).is_file()]
    if not present:
        return
    (target / FOLDER).mkdir(exist_ok=True)
    for attachment, _ in present:
        copy = target / FOLDER / attachment.sha256
        if not copy.exists():
            shutil.copyfile(file_path(attachment.sha256), copy)
    entries = [_entry(attachment, slug) for attachment, slug in present]
    (target / FILE).write_bytes(yamlwrite.flow_list(entries).encode("utf-8"))


def _entry(attachment: Attachment, slug: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "practice": slug,
        "file": attachment.sha256,
        "name": attachment.file_name,
        "title": attachment.title,
    }
    if attachment.note:
        entry["note"] = attachment.note
    if attachment.uploader is not None:
        entry["uploader"] = attachment.uploader.username
    entry["uploaded"] = attachment.created_at.isoformat()
    return entry


def read_attachments(
    root: Path, problems: Problems, practices: set[str], users: set[str]
) -> list[AttachmentEntry]:
    """``attachments.yml`` checked against ``attachments/``; problems named by file and field."""
    path = root / FILE
    if not path.exists():
        folder = root / FOLDER
        if folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir()):
            problems.add(FOLDER, "-", f"files without {FILE}")
        return []
    try:
        data = load_yaml(read_text(path))
    except FormatError as error:
        problems.add(FILE, "-", str(error))
        return []
    if not isinstance(data, list):
        problems.add(FILE, "-", "must be a list of entries")
        return []
    found: list[AttachmentEntry] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(data):
        c = Checker(problems, FILE, item, prefix=f"[{index}].")
        c.only(KEYS)
        practice = c.choice("practice", tuple(practices), what="a practice of the folder or the hub")
        sha256 = c.text("file", max_length=64)
        content = _content(c, root, sha256) if sha256 is not None else None
        content_type = _type(c, content, str(c.data.get("name", ""))) if content is not None else None
        name = c.text("name", max_length=255)
        title = c.text("title", max_length=MAX_TITLE)
        note = c.text("note", required=False, max_length=MAX_NOTE, empty=True) or ""
        uploader = c.choice("uploader", tuple(users), required=False, what="a known user")
        uploaded = c.timestamp("uploaded", required=False)
        if None in (practice, sha256, content, content_type, name, title):
            continue
        assert practice is not None and sha256 is not None and content is not None  # for the type checker
        assert content_type is not None and name is not None and title is not None
        if normalise_name(name, content_type) != name:
            c.fail("name", f"{name!r} is not a file name of the hub (no path, no control characters, "
                   "at most 200 characters, the extension of its type)")
            continue
        if (practice, sha256) in seen:
            c.fail("file", f"{sha256} is listed twice for {practice}")
            continue
        seen.add((practice, sha256))
        size = len(content)
        found.append(
            AttachmentEntry(practice, sha256, name, title, note, content_type, size, uploader, uploaded)
        )
    return found


def _content(c: Checker, root: Path, sha256: str) -> bytes | None:
    path = root / FOLDER / sha256
    if len(sha256) != 64 or not all(ch in "0123456789abcdef" for ch in sha256) or not path.is_file():
        c.fail("file", f"{sha256!r} is not a file in {FOLDER}/ (named by its SHA-256)")
        return None
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != sha256:
        c.fail("file", f"{FOLDER}/{sha256} does not have the SHA-256 it is named by")
        return None
    return content


def _type(c: Checker, content: bytes, name: str) -> str | None:
    try:
        return sniff(content, name)
    except AttachmentRefused as refused:
        c.fail("file", f"not a file the hub accepts ({refused.reason})")
        return None


def import_attachments(entries: list[AttachmentEntry], root: Path) -> list[Path]:
    """Give each listed practice exactly its listed files; returns the files written, for undoing."""
    by_practice: dict[str, list[AttachmentEntry]] = {}
    for entry in entries:
        by_practice.setdefault(entry.practice, []).append(entry)
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    written: list[Path] = []
    for slug, wanted in by_practice.items():
        practice = db.session.scalars(sa.select(Practice).where(Practice.slug == slug)).one()
        for entry in wanted:
            if not file_path(entry.sha256).exists():
                store(entry.sha256, (root / FOLDER / entry.sha256).read_bytes())
                written.append(file_path(entry.sha256))
        if _same(practice.attachments, wanted):
            continue
        practice.attachments.clear()
        db.session.flush()
        for position, entry in enumerate(wanted):
            practice.attachments.append(_attachment(entry, position, users))
        db.session.flush()
        record_revision(practice, None, "Import")
    return written


def _same(current: list[Attachment], wanted: list[AttachmentEntry]) -> bool:
    def key(a: Attachment) -> tuple[str, str, str, str]:
        return (a.sha256, a.file_name, a.title, a.note)

    return [key(a) for a in current] == [(e.sha256, e.name, e.title, e.note) for e in wanted]


def _attachment(entry: AttachmentEntry, position: int, users: dict[str, User]) -> Attachment:
    attachment = Attachment(
        sha256=entry.sha256,
        file_name=entry.name,
        title=entry.title,
        note=entry.note,
        content_type=entry.content_type,
        size=entry.size,
        text_state=TEXT_NONE if entry.content_type in IMAGE_TYPES else TEXT_PENDING,
        uploader=users.get(entry.uploader) if entry.uploader else None,
        position=position,
    )
    if entry.uploaded is not None:
        attachment.created_at = entry.uploaded
    return attachment
