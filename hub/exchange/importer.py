"""Import a content folder into the hub: validate everything, then write in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context

from hub.audit import AuditAction, record
from hub.auth import operations as accounts
from hub.exchange.attachments import import_attachments
from hub.exchange.reader import Bundle, read_folder, read_practices, read_upload
from hub.extensions import db
from hub.models import (
    Centre,
    Collection,
    CollectionItem,
    CompanySize,
    Practice,
    Sector,
    SynonymGroup,
    Tag,
    TagAlias,
    Topic,
    Upload,
    User,
)
from hub.practices.operations import import_practices
from hub.search import INDEX_DEFERRED, search_service
from hub.uploads.operations import upload_dir
from hub.vocabulary import CentreKind, Role, Visibility
from hub.vocabulary.stored import known_to_hub

Progress = Callable[[int], None]

# From this many practices in a folder, the import builds the search index anew at its end (in
# parallel processes, ``hub index rebuild``) instead of indexing each practice after the commit.
BULK_INDEX_FROM = 2_000


# What an import changes of an existing account only when asked (``--update-accounts``): rights.
GUARDED_ACCOUNT_FIELDS = ("email", "role", "centre")


@dataclass
class ImportReport:
    centres: int = 0
    users: int = 0
    practices_created: int = 0
    practices_updated: int = 0
    collections: int = 0
    accounts_kept: list[str] = field(default_factory=list)  # "tbauer: role contributor → admin", not applied

    def __str__(self) -> str:
        return (
            f"{self.centres} centres, {self.users} users, {self.practices_created} practices created, "
            f"{self.practices_updated} updated, {self.collections} collections"
        )


def import_folder(
    root: Path, progress: Progress | None = None, *, update_accounts: bool = False
) -> ImportReport:
    """All or nothing: raises ``InvalidContent`` (nothing written) or commits the whole folder.

    Existing accounts keep their e-mail, role and centre unless ``update_accounts`` (a folder must
    not hand out rights or take over an account's mail); what was kept is in the report.

    The folder is read twice: checked as a whole first (``read_folder`` keeps names and slugs, not
    write-ups), then each practice and image read again as it is written, a batch at a time."""
    bundle = read_folder(root, known_to_hub())
    step = progress or (lambda _n: None)
    written: list[Path] = []
    count = len(bundle.practice_files)
    bulk = count >= BULK_INDEX_FROM
    session = db.session()
    if bulk:
        session.info[INDEX_DEFERRED] = True  # the index is built once at the end, not one row at a time
    try:
        report = ImportReport()
        report.centres = _centres(bundle)
        _taxonomy(bundle.taxonomy)
        step(1 + len(bundle.centres))
        report.users, report.accounts_kept = _users(bundle, update_accounts)
        step(len(bundle.users))
        db.session.flush()
        created, updated = import_practices(read_practices(bundle))
        report.practices_created, report.practices_updated = created, updated
        step(count)
        report.collections = _collections(bundle)
        step(len(bundle.collections))
        written.extend(_uploads(bundle))
        written.extend(import_attachments(bundle.attachments, root))
        record(None, AuditAction.FOLDER_IMPORT, root.name, **vars(report))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in written:  # images and files stored for this import go again
            path.unlink(missing_ok=True)
        raise
    finally:
        session.info.pop(INDEX_DEFERRED, None)
    if bulk and has_app_context() and "search" in current_app.extensions:
        search_service().rebuild_after(session, progress=step)  # in parallel processes
    return report


def _upsert(model: Any, key: str, value: str) -> Any:
    item = db.session.scalars(sa.select(model).where(getattr(model, key) == value)).one_or_none()
    if item is None:
        item = model(**{key: value})
        db.session.add(item)
    return item


def _centres(bundle: Bundle) -> int:
    for position, data in enumerate(bundle.centres):
        centre = _upsert(Centre, "slug", data["slug"])
        centre.name, centre.state, centre.kind, centre.position = (
            data["name"], data["state"], CentreKind(data["kind"]), position,
        )
    return len(bundle.centres)


def _taxonomy(taxonomy: dict[str, Any]) -> None:
    for entry in taxonomy.get("sectors", []):
        _upsert(Sector, "code", entry["code"]).name = entry["name"]
    for position, entry in enumerate(taxonomy.get("sizes", [])):
        size = _upsert(CompanySize, "code", entry["code"])
        size.name, size.position = entry["name"], position
    for position, entry in enumerate(taxonomy.get("topics", [])):
        topic = _upsert(Topic, "slug", entry["slug"])
        topic.name, topic.position = entry["name"], position
    db.session.flush()
    for alias, target in taxonomy.get("tag_aliases", {}).items():
        tag = _upsert(Tag, "name", target)
        db.session.flush()
        row = db.session.get(TagAlias, alias) or TagAlias(alias=alias)
        row.tag = tag
        db.session.add(row)
    if "synonyms" in taxonomy:
        db.session.execute(sa.delete(SynonymGroup))
        for position, terms in enumerate(taxonomy["synonyms"]):
            db.session.add(SynonymGroup(terms=terms, position=position))
    db.session.flush()


def _users(bundle: Bundle, update_accounts: bool) -> tuple[int, list[str]]:
    """Create new accounts and update existing ones through the account operations (each change
    audited on its own); returns (accounts in the folder, guarded changes not applied)."""
    centres = {c.slug: c for c in db.session.scalars(sa.select(Centre))}
    names = [data["username"] for data in bundle.users]
    existing = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(names)))}
    kept: list[str] = []
    for data in bundle.users:
        wanted: dict[str, Any] = {
            "name": data["name"],
            "email": data["email"],
            "role": Role(data["role"]),
            "centre": centres.get(data["centre"]) if data["centre"] else None,
        }
        user = existing.get(data["username"])
        if user is None:
            accounts.create_user(None, data["username"], password=None, **wanted)
            continue
        if not update_accounts:
            for name in GUARDED_ACCOUNT_FIELDS:
                current = getattr(user, name)
                if current != wanted[name]:
                    kept.append(f"{user.username}: {name} {_shown(current)} → {_shown(wanted[name])}")
                    wanted[name] = current
        accounts.update_user(None, user, active=user.active, **wanted)
    return len(bundle.users), kept


def _shown(value: Any) -> str:
    return str(getattr(value, "slug", None) or getattr(value, "value", None) or value or "-")


def _uploads(bundle: Bundle) -> list[Path]:
    """Store the folder's images (new ones only); returns the files written, for undoing."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    uploaders = {u.username: u for u in db.session.scalars(sa.select(User))}
    for name, kind in bundle.uploads:
        upload = db.session.scalars(sa.select(Upload).where(Upload.name == name)).one_or_none()
        meta = bundle.upload_meta.get(name)
        target = folder / name
        content = read_upload(bundle, name, kind) if upload is None or not target.exists() else b""
        if upload is None:
            upload = Upload(name=name, original_name=name, content_type=kind, size=len(content))
            db.session.add(upload)
        if meta is not None:  # uploads.yml: what the exporting hub knew about the image
            upload.original_name = meta.original_name
            upload.uploader = uploaders.get(meta.uploader) if meta.uploader else None
            if meta.uploaded is not None:  # required in uploads.yml: a file without it is refused
                upload.created_at = meta.uploaded
        if not target.exists():
            target.write_bytes(content)
            written.append(target)
    return written


def _collections(bundle: Bundle) -> int:
    for data in bundle.collections:
        collection = _upsert(Collection, "slug", data["slug"])
        collection.title = data["title"]
        collection.visibility = Visibility(data["visibility"])
        collection.intro = data["intro"]
        saved = data.get("search")
        collection.search_query = saved.q if saved is not None else None
        collection.search_filters = saved.filters if saved is not None else None
        collection.curator = (
            db.session.scalars(sa.select(User).where(User.username == data["curator"])).one()
            if data["curator"]
            else None
        )
        if data["centre"]:
            collection.centre = db.session.scalars(
                sa.select(Centre).where(Centre.slug == data["centre"])
            ).one()
        else:  # curated by the curator's centre unless the file says otherwise
            collection.centre = collection.curator.centre if collection.curator else None
        wanted = data["practices"]
        current = [item.practice.slug for item in collection.items]
        if wanted != current:
            collection.items.clear()
            db.session.flush()
            ids = dict(
                db.session.execute(
                    sa.select(Practice.slug, Practice.id).where(Practice.slug.in_(wanted))
                ).tuples().all()
            )
            for position, slug in enumerate(wanted):
                collection.items.append(CollectionItem(practice_id=ids[slug], position=position))
    return len(bundle.collections)
