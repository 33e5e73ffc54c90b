"""Export the whole hub into the content folder format (CONTENT-FORMAT.md).

Export → import into an empty hub → export gives byte-identical files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hub.exchange import yamlwrite
from hub.exchange.attachments import export_attachments
from hub.extensions import db
from hub.models import Centre, Collection, Practice, SynonymGroup, TagAlias, Upload, User
from hub.practices.operations import DATA_LOAD_OPTIONS, practice_data
from hub.saved_searches.criteria import SavedSearch
from hub.uploads.operations import upload_dir
from hub.vocabulary import stored

Progress = Callable[[int], None]

BATCH = 500  # practices loaded at a time (and their centres, vocabularies, tags, authors, links, reports)


class ExportError(Exception):
    pass


@dataclass
class ExportReport:
    centres: int = 0
    users: int = 0
    practices: int = 0
    collections: int = 0

    def __str__(self) -> str:
        return (
            f"{self.centres} centres, {self.users} users, {self.practices} practices, "
            f"{self.collections} collections"
        )


def export_size() -> int:
    """How many files an export writes (for progress bars)."""
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Practice, Collection)]
    return sum(count or 0 for count in counts) + 3  # COUNT(*) is never NULL; scalar() is typed so


def export_folder(target: Path, *, replace: bool = False, progress: Progress | None = None) -> ExportReport:
    """Write the hub into ``target``; refuses a non-empty folder unless ``replace``."""
    step = progress or (lambda _n: None)
    if target.exists() and any(target.iterdir()):
        if not replace:
            raise ExportError(f"{target} is not empty (use --replace to overwrite it)")
        for name in ("practices", "collections", "uploads", "attachments"):
            shutil.rmtree(target / name, ignore_errors=True)
        for name in ("centres.yml", "taxonomy.yml", "users.yml", "uploads.yml", "attachments.yml"):
            (target / name).unlink(missing_ok=True)
    (target / "practices").mkdir(parents=True, exist_ok=True)
    (target / "collections").mkdir(exist_ok=True)
    centres, users = _centres(), _users()
    report = ExportReport(centres=len(centres), users=len(users))
    _write(target / "centres.yml", yamlwrite.block_list(centres))
    _write(target / "taxonomy.yml", yamlwrite.mapping(_taxonomy()))
    _write(target / "users.yml", yamlwrite.flow_list(users))
    step(3)
    for practice in _practices():
        data = practice_data(practice)
        _write(
            target / "practices" / f"{practice.slug}.md",
            yamlwrite.document(data.front_matter(with_experiences=True), data.body),
        )
        report.practices += 1
        step(1)
    _export_uploads(target)
    export_attachments(target)
    for collection in db.session.scalars(sa.select(Collection).order_by(Collection.slug)):
        _write(
            target / "collections" / f"{collection.slug}.md",
            yamlwrite.document(_collection(collection), collection.intro),
        )
        report.collections += 1
        step(1)
    return report


def _export_uploads(target: Path) -> None:
    """Uploaded images, under the names the practices' Markdown refers to, and ``uploads.yml`` with
    what the hub knows about each (an optional extension of the format, written only with uploads)."""
    uploads = db.session.scalars(sa.select(Upload).order_by(Upload.name)).all()
    present = [upload for upload in uploads if (upload_dir() / upload.name).is_file()]
    if not present:
        return
    (target / "uploads").mkdir(exist_ok=True)
    for upload in present:
        shutil.copyfile(upload_dir() / upload.name, target / "uploads" / upload.name)
    _write(target / "uploads.yml", yamlwrite.flow_list([_upload(upload) for upload in present]))


def _upload(upload: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": upload.name}
    if upload.original_name:
        entry["original_name"] = upload.original_name
    if upload.uploader is not None:
        entry["uploader"] = upload.uploader.username
    entry["uploaded"] = upload.created_at.isoformat()
    return entry


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _centres() -> list[dict[str, Any]]:
    # Ties broken by slug, not by name as in the lists: the database's collation never changes an export.
    centres = db.session.scalars(sa.select(Centre).order_by(Centre.position, Centre.slug))
    return [{"slug": c.slug, "name": c.name, "state": c.state, "kind": c.kind.value} for c in centres]


def _taxonomy() -> dict[str, Any]:
    aliases = sorted(db.session.scalars(sa.select(TagAlias)), key=lambda a: a.alias)  # not the DB collation
    return {
        "sectors": [{"code": s.code, "name": s.name} for s in stored.sectors()],
        "sizes": [{"code": s.code, "name": s.name} for s in stored.sizes()],
        "topics": [{"slug": t.slug, "name": t.name} for t in stored.topics()],
        "tag_aliases": {a.alias: a.tag.name for a in aliases},
        "synonyms": [
            g.terms for g in db.session.scalars(sa.select(SynonymGroup).order_by(SynonymGroup.position))
        ],
    }


def _users() -> list[dict[str, Any]]:
    result = []
    # Sorted here, not by the database: PostgreSQL's collation (de_DE, en_US) orders '-', '.' and 'ä'
    # differently from SQLite, and an export must not change when a hub moves between them.
    for user in sorted(db.session.scalars(sa.select(User)), key=lambda u: u.username):
        # a deleted account keeps no name: its pseudonym stands in (users.yml needs one; nothing personal)
        entry = {"username": user.username, "name": user.name or user.username, "email": user.email}
        if user.centre is not None:
            entry["centre"] = user.centre.slug
        entry["role"] = user.role.value
        result.append(entry)
    return result


def _practices() -> Iterator[Practice]:
    """Every practice by slug, loaded ``BATCH`` at a time: what an export holds does not grow with the
    hub (the session's identity map keeps no reference of its own to unchanged objects)."""
    ids = db.session.scalars(sa.select(Practice.id).order_by(Practice.slug)).all()
    for start in range(0, len(ids), BATCH):
        batch = (
            sa.select(Practice)
            .where(Practice.id.in_(ids[start : start + BATCH]))
            .order_by(Practice.slug)
            .options(*DATA_LOAD_OPTIONS)
        )
        yield from db.session.scalars(batch).all()


def _collection(collection: Collection) -> dict[str, Any]:
    data: dict[str, Any] = {"title": collection.title, "slug": collection.slug}
    if collection.curator is not None:
        data["curator"] = collection.curator.username
    if collection.centre is not None:
        data["centre"] = collection.centre.slug
    data["visibility"] = collection.visibility.value
    data["practices"] = [item.practice.slug for item in collection.items]
    saved = SavedSearch.stored(collection.search_query, collection.search_filters)
    if saved is not None:  # the optional extension: written only for collections with a saved search
        data["search"] = yamlwrite.FlowMapping(saved.front_matter())
    return data
