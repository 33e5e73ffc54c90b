"""Attaching, describing, reordering and removing files; every change is a revision of the practice.

The bytes are written once per content hash (``UPLOAD_DIR/files/<sha256>``), before the row that
points at them: a rolled-back transaction leaves at most an unreferenced file, which ``hub uploads
prune`` removes. The caller commits.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from hub.attachments.files import IMAGE_TYPES, AttachmentRefused, normalise_name, sniff, title_from_name
from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import Attachment, Practice, User
from hub.models.attachments import TEXT_NONE, TEXT_PENDING
from hub.practices.operations import record_revision

log = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_NOTE = 2000


def add_attachment(
    actor: User, practice: Practice, content: bytes, file_name: str, title: str = "", note: str = ""
) -> Attachment:
    """Check and attach a file (last in the list); refused with ``AttachmentRefused``."""
    require(actor, Action.EDIT_PRACTICE, practice)
    if not content:
        raise AttachmentRefused("empty")
    if len(content) > max_file_bytes():
        raise AttachmentRefused("too-large")
    if len(practice.attachments) >= max_per_practice():
        raise AttachmentRefused("too-many")
    if sum(a.size for a in practice.attachments) + len(content) > max_total_bytes():
        raise AttachmentRefused("practice-full")
    content_type = sniff(content, file_name)
    sha256 = hashlib.sha256(content).hexdigest()
    if any(a.sha256 == sha256 for a in practice.attachments):
        raise AttachmentRefused("duplicate")
    store(sha256, content)
    name = normalise_name(file_name, content_type)
    attachment = Attachment(
        sha256=sha256,
        file_name=name,
        title=_one_line(title, MAX_TITLE) or title_from_name(name),
        note=_note(note),
        content_type=content_type,
        size=len(content),
        text_state=TEXT_NONE if content_type in IMAGE_TYPES else TEXT_PENDING,
        uploader_id=actor.id,
        position=len(practice.attachments),
    )
    practice.attachments.append(attachment)
    record_revision(practice, actor, _("File attached: %(name)s", name=name))
    log.info(
        "%s attached %s (%s, %d bytes) to %s", actor.username, name, content_type, len(content), practice.slug
    )
    return attachment


def describe_attachment(actor: User, attachment: Attachment, title: str, note: str) -> bool:
    """Change a file's title and note; False when nothing changed."""
    practice = _practice(attachment)
    require(actor, Action.EDIT_PRACTICE, practice)
    title = _one_line(title, MAX_TITLE) or title_from_name(attachment.file_name)
    note = _note(note)
    if (title, note) == (attachment.title, attachment.note):
        return False
    attachment.title, attachment.note = title, note
    record_revision(practice, actor, _("File description changed: %(name)s", name=attachment.file_name))
    log.info("%s described %s of %s", actor.username, attachment.file_name, practice.slug)
    return True


def move_attachment(actor: User, attachment: Attachment, offset: int) -> bool:
    """Move a file ``offset`` places up (negative) or down the list; False at either end."""
    practice = _practice(attachment)
    require(actor, Action.EDIT_PRACTICE, practice)
    files = list(practice.attachments)
    index = files.index(attachment)
    target = index + offset
    if offset == 0 or not 0 <= target < len(files):
        return False
    files.insert(target, files.pop(index))
    for position, item in enumerate(files):
        item.position = position
    db.session.flush()
    db.session.expire(practice, ["attachments"])
    record_revision(practice, actor, _("Files reordered"))
    log.info("%s moved %s of %s to place %d", actor.username, attachment.file_name, practice.slug, target + 1)
    return True


def remove_attachment(actor: User, attachment: Attachment) -> None:
    """Take a file off the practice (its bytes stay while a revision refers to them)."""
    practice = _practice(attachment)
    require(actor, Action.EDIT_PRACTICE, practice)
    practice.attachments.remove(attachment)
    for position, item in enumerate(practice.attachments):
        item.position = position
    db.session.flush()
    record_revision(practice, actor, _("File removed: %(name)s", name=attachment.file_name))
    log.info("%s removed %s from %s", actor.username, attachment.file_name, practice.slug)


def store(sha256: str, content: bytes) -> Path:
    """Write the bytes under their hash (once: an existing file with that hash is the same file)."""
    path = file_path(sha256)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{sha256}.{os.getpid()}.part")
        partial.write_bytes(content)
        partial.replace(path)
    return path


def file_path(sha256: str) -> Path:
    return files_dir() / sha256


def files_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "files"


def max_file_bytes() -> int:
    return int(float(current_app.config["ATTACHMENT_MAX_MB"]) * 1024 * 1024)


def max_total_bytes() -> int:
    return int(float(current_app.config["ATTACHMENT_MAX_TOTAL_MB"]) * 1024 * 1024)


def max_per_practice() -> int:
    return int(current_app.config["ATTACHMENT_MAX_PER_PRACTICE"])


def _practice(attachment: Attachment) -> Practice:
    practice = db.session.get(Practice, attachment.practice_id)
    assert practice is not None  # the foreign key guarantees it
    return practice


def _one_line(text: str, limit: int) -> str:
    cleaned = "".join(" " if c in "\r\n\t" or ord(c) < 32 or ord(c) == 127 else c for c in text or "")
    return " ".join(cleaned.split())[:limit]


def _note(text: str) -> str:
    cleaned = "".join(c for c in (text or "").replace("\r\n", "\n") if c in "\n\t" or ord(c) >= 32)
    return cleaned.strip()[:MAX_NOTE]
