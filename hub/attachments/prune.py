"""Removing stored files that nothing refers to any more: attachments and images.

An attached file stays while the practice or any of its revisions lists it (so an old version can
still be compared and its files named). An uploaded image stays while a revision's body, a current
body or a collection's introduction links to it, or while it is younger than ``GRACE`` — the editor
uploads an image before the write-up that shows it is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from hub.attachments.operations import files_dir
from hub.extensions import db
from hub.models import Attachment, Collection, Practice, Revision, Upload
from hub.models._types import utcnow
from hub.uploads.operations import NAME_RE, upload_dir

GRACE = timedelta(days=1)
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
IMAGE_LINK_RE = re.compile(r"/uploads/([a-f0-9]{32}\.(?:png|jpg|webp))")


@dataclass
class PruneReport:
    files: list[Path] = field(default_factory=list)  # attachment files nothing refers to
    images: list[Path] = field(default_factory=list)  # image files no body links to
    image_rows: list[Upload] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(path.stat().st_size for path in [*self.files, *self.images] if path.is_file())


def unreferenced() -> PruneReport:
    """What ``prune`` would remove (nothing is changed)."""
    report = PruneReport()
    hashes = _referenced_hashes()
    folder = files_dir()
    if folder.is_dir():
        report.files = sorted(
            path
            for path in folder.iterdir()
            if path.is_file() and (path.name not in hashes or not HASH_RE.match(path.name))
            and not path.name.startswith(".")
        )
    linked = _linked_images()
    cutoff = utcnow() - GRACE
    report.image_rows = [
        upload
        for upload in db.session.scalars(sa.select(Upload).order_by(Upload.name))
        if upload.name not in linked and upload.created_at < cutoff
    ]
    known = set(db.session.scalars(sa.select(Upload.name)))
    images = upload_dir()
    strays = []
    if images.is_dir():
        strays = [p for p in images.iterdir() if NAME_RE.match(p.name) and p.name not in known]
    report.images = sorted([*(images / u.name for u in report.image_rows), *strays])
    return report


def prune(report: PruneReport) -> None:
    """Delete what ``report`` found (rows in the current transaction; the caller commits)."""
    for upload in report.image_rows:
        db.session.delete(upload)
    db.session.flush()
    for path in [*report.files, *report.images]:
        path.unlink(missing_ok=True)


def _referenced_hashes() -> set[str]:
    hashes = set(db.session.scalars(sa.select(Attachment.sha256)))
    for (data,) in db.session.execute(sa.select(Revision.data)).yield_per(500):
        for entry in (data or {}).get("attachments", []) if isinstance(data, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                hashes.add(entry["file"])
    return hashes


def _linked_images() -> set[str]:
    linked: set[str] = set()
    for query in (sa.select(Revision.body), sa.select(Practice.body), sa.select(Collection.intro)):
        for (body,) in db.session.execute(query).yield_per(500):
            linked.update(IMAGE_LINK_RE.findall(body or ""))
    return linked
