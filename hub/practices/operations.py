"""Every change to a practice happens here, once: views, API, CLI and import all call these.

Each change (1) checks permissions, (2) applies the data, (3) stores a revision — the full
metadata and body — and points the practice at it, and (4) emits a domain event (``hub.events``),
sent after the commit to notifications and other subscribers. The search index follows by itself
(``hub.search.outbox``). The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from hub import events
from hub.audit import AuditAction, record
from hub.auth.permissions import Action, PermissionDenied, can, require
from hub.extensions import db
from hub.fields import PRACTICE_SLUGS, canonical_tag, tag_aliases
from hub.models import (
    Centre,
    CompanySize,
    ExperienceReport,
    Practice,
    PracticeLink,
    Revision,
    Sector,
    SlugRedirect,
    Tag,
    TagAlias,
    Topic,
    User,
)
from hub.practices.data import Experience, Outcome, PracticeData, RelatedLink
from hub.visibility import visible_clause
from hub.vocabulary import Kind, LinkType, Result, Status, Visibility
from hub.vocabulary.stored import size_positions, topic_positions


class UnknownReference(ValueError):
    """Data names a centre, sector, topic, user or practice that does not exist."""


class SlugTaken(ValueError):
    """Another practice has (or had) this slug, or one of the hub's pages is called so (``new`` …)."""


class FieldsRefused(PermissionDenied):
    """The actor may save the practice, but not set these fields so: ``fields`` maps each to why."""

    def __init__(self, action: Action, fields: dict[str, str]) -> None:
        super().__init__(action, "; ".join(f"{name}: {why}" for name, why in fields.items()))
        self.fields = fields


# Set by the review workflow (transitions), never by an edit — except by those who review and the import.
WORKFLOW_FIELDS = ("status", "published", "updated", "review_due")


class Conflict(Exception):
    """Someone saved the practice after the revision an edit started from: nothing is overwritten."""

    def __init__(self, practice: Practice, base: Revision | None, head: Revision | None) -> None:
        base_number, head_number = base and base.number, head and head.number
        super().__init__(f"{practice.slug}: edited from revision {base_number}, now {head_number}")
        self.practice = practice
        self.base = base
        self.head = head


def create_practice(actor: User | None, data: PracticeData, message: str = "") -> Practice:
    centre = _one(Centre, Centre.slug, data.centre, "centre")
    if actor is not None:
        require(actor, Action.CREATE_PRACTICE, centre)
        data = workflow_owned(actor, None, data)
        _check_authors(actor, None, data, centre)
    if slug_owner(data.slug) is not None or data.slug in PRACTICE_SLUGS.reserved():
        raise SlugTaken(data.slug)
    practice = Practice(slug=data.slug)
    db.session.add(practice)
    _apply(practice, data)
    _record_revision(practice, actor, message)
    return practice


def update_practice(
    actor: User | None,
    practice: Practice,
    data: PracticeData,
    message: str = "",
    *,
    base_revision_id: int | None = None,
) -> bool:
    """Apply ``data``; returns False (and records nothing) when nothing changed.

    ``base_revision_id`` is the revision the edit started from: when someone saved since, the save
    is refused with ``Conflict`` (the editor, the API and the CLI all pass it through).
    """
    if actor is not None:
        require(actor, Action.EDIT_PRACTICE, practice)
    if base_revision_id is not None:
        _lock_row(practice)
    if base_revision_id is not None and base_revision_id != practice.head_revision_id:
        raise Conflict(practice, db.session.get(Revision, base_revision_id), practice.head)
    if actor is not None:
        data = workflow_owned(actor, practice, data)
        _check_owner_change(actor, practice, data)
        data = keep_hidden_links(actor, practice, data)
    if _unchanged(practice, data):
        return False
    if data.slug != practice.slug:
        _move_slug(practice, data.slug)
    _apply(practice, data)
    _record_revision(practice, actor, message)
    return True


def restore_revision(actor: User, practice: Practice, revision: Revision, message: str = "") -> bool:
    """Make an old revision's content current again, as a new revision (status and dates stay)."""
    require(actor, Action.EDIT_PRACTICE, practice)
    if revision.practice_id != practice.id:
        raise UnknownReference(f"revision {revision.id} is not one of {practice.slug}")
    old = revision_practice_data(revision)
    current = practice_data(practice)
    data = replace(
        old,
        status=current.status,
        published=current.published,
        updated=current.updated,
        review_due=current.review_due,
        experiences=current.experiences,
        related=[link for link in old.related if _exists(link.slug)],
    )
    if old.slug != current.slug and slug_owner(old.slug) not in (None, practice.id):
        data = replace(data, slug=current.slug)  # the old slug now belongs to another practice
    return update_practice(actor, practice, data, message)


def _lock_row(practice: Practice) -> None:
    """Hold the practice's row until the commit, so two saves from the same base cannot both pass
    the base check. PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes
    the database's write lock. SQLite refuses at once to turn a transaction that has only read into
    a writer while another writer holds the lock or has committed since; such a transaction holds
    nothing to lose, so it starts afresh with the lock as its first statement, which waits
    (``busy_timeout``) — and then reads the other save's head, so the check reports the conflict."""
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.refresh(practice, with_for_update=True)
        return
    table = Practice.__table__
    lock = sa.update(table).where(table.c.id == practice.id).values(id=table.c.id)
    try:
        db.session.execute(lock)
    except sa.exc.OperationalError:
        db.session.rollback()
        db.session.execute(lock)
    db.session.refresh(practice)


def revision_practice_data(revision: Revision) -> PracticeData:
    """A stored revision as plain data (the inverse of ``PracticeData.revision_data``)."""
    meta: dict[str, Any] = dict(revision.data)  # JSON front matter, as revision_data wrote it
    outcome = meta.get("outcome")
    return PracticeData(
        title=str(meta["title"]),
        slug=str(meta["slug"]),
        kind=str(meta["kind"]),
        centre=str(meta["centre"]),
        authors=list(meta.get("authors", [])),
        summary=str(meta["summary"]),
        sectors=list(meta["sectors"]),
        sizes=list(meta["sizes"]),
        topics=list(meta["topics"]),
        tags=list(meta.get("tags", [])),
        visibility=str(meta["visibility"]),
        status=str(meta["status"]),
        published=_date(meta.get("published")),
        updated=_date(meta.get("updated")),
        review_due=_date(meta.get("review_due")),
        outcome=(
            Outcome(
                outcome["result"],
                Decimal(str(outcome["effort_days"])) if outcome.get("effort_days") is not None else None,
                outcome.get("cost_eur"),
            )
            if isinstance(outcome, dict)
            else None
        ),
        related=[RelatedLink(link["slug"], link["type"]) for link in meta.get("related", [])],
        body=revision.body,
    )


def slug_owner(slug: str) -> int | None:
    """The id of the practice that has or had ``slug`` (old slugs stay reserved for redirects)."""
    owner = db.session.scalar(sa.select(Practice.id).where(Practice.slug == slug))
    if owner is None:
        owner = db.session.scalar(sa.select(SlugRedirect.practice_id).where(SlugRedirect.old_slug == slug))
    return owner


def free_slug(title: str) -> str:
    """The slug ``title`` suggests, with ``-2``, ``-3`` … when a practice has or had it: a slug the
    hub chooses itself never conflicts, so answering it tells nothing about practices one may not see."""
    base = PRACTICE_SLUGS.make(title)[: PRACTICE_SLUGS.max_length - 6].strip("-")
    slug, n = base, 1
    while slug_owner(slug) is not None or slug in PRACTICE_SLUGS.reserved():
        n += 1
        slug = f"{base}-{n}"
    return slug


def delete_practice(actor: User, practice: Practice) -> None:
    """Remove a practice for good (admins only; archiving is the normal way). Recorded in the audit log."""
    require(actor, Action.DELETE_PRACTICE, practice)
    record(actor, AuditAction.PRACTICE_DELETE, practice.slug, title=practice.title, id=practice.id)
    events.emit(events.practice_deleted, None, practice_id=practice.id, slug=practice.slug, actor=actor)
    db.session.delete(practice)
    db.session.flush()


IMPORT_BATCH = 500  # practices an import writes per flush


def import_practices(items: Iterable[PracticeData], message: str = "Import") -> tuple[int, int]:
    """Create or update practices from a validated folder; returns (created, updated).

    Unchanged practices get no new revision, so importing the same folder twice changes nothing.
    Links are applied after every practice exists, so they may point at practices of the same import.
    Centres, sectors, sizes, topics, users and tags are looked up once per import (``_lookups``).

    ``items`` is read once, a batch at a time, and nothing of a batch is kept after its flush but the
    practice's id (and, for a practice whose related links must wait for later practices, the links):
    memory stays bounded however large the folder. A practice without links to set gets its revision
    in its own batch; the others get theirs in a second pass, once every practice exists. Instead of a
    ``practice_saved`` event per practice, one ``practices_imported`` event names them all.
    """
    created = updated = 0
    ids: dict[str, int] = {}  # slug → id of every practice of the import
    waiting: list[tuple[int, bool, list[RelatedLink]]] = []  # (id, new, links) for the second pass
    saved: list[tuple[int, bool]] = []  # (id, was_published) of every practice given a revision
    token = _lookups.set({})
    try:
        for batch in _batches(items, IMPORT_BATCH):
            c, u = _import_batch(batch, message, ids, waiting, saved)
            created, updated = created + c, updated + u
        for start in range(0, len(waiting), IMPORT_BATCH):
            _import_links(waiting[start : start + IMPORT_BATCH], message, ids, saved)
    finally:
        _lookups.reset(token)
    if saved:
        events.emit(events.practices_imported, None, saved=saved, actor=None)
    return created, updated


def _batches(items: Iterable[PracticeData], size: int) -> Iterable[list[PracticeData]]:
    batch: list[PracticeData] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _import_batch(
    batch: list[PracticeData],
    message: str,
    ids: dict[str, int],
    waiting: list[tuple[int, bool, list[RelatedLink]]],
    saved: list[tuple[int, bool]],
) -> tuple[int, int]:
    """Write one batch of an import (fields and experience reports; revisions where no links wait);
    returns (created, updated)."""
    found = db.session.scalars(sa.select(Practice).where(Practice.slug.in_([d.slug for d in batch])))
    existing = {practice.slug: practice for practice in found}
    changed: list[tuple[Practice, PracticeData, bool]] = []
    for data in batch:
        practice = existing.get(data.slug)
        new = practice is None
        if practice is None:  # its collections start empty and loaded: no query for them later
            practice = Practice(slug=data.slug, links=[], experiences=[], attachments=[])
            db.session.add(practice)
        elif _unchanged(practice, data):
            replace_experiences(practice, data.experiences)
            continue
        _apply(practice, data, with_links=False)
        changed.append((practice, data, new))
    db.session.flush()
    now: list[tuple[Practice, bool]] = []
    for practice, data, new in changed:
        if (new and not data.related) or (not new and _links_of(practice) == _wanted_links(data.related)):
            now.append((practice, new))  # no links to set: the revision can be written now
        else:
            waiting.append((practice.id, new, data.related))
    saved.extend((r.practice_id, was) for r, was in _record_revisions(now, None, message, emit=False))
    for practice, data, new in changed:
        if new:
            practice.experiences.extend(_report(report) for report in data.experiences)
        else:
            replace_experiences(practice, data.experiences)
    db.session.flush()
    ids.update((practice.slug, practice.id) for practice in existing.values())
    ids.update((practice.slug, practice.id) for practice, _data, _new in changed)
    _release_batch()
    created = sum(1 for _practice, _data, new in changed if new)
    return created, len(changed) - created


def _import_links(
    batch: list[tuple[int, bool, list[RelatedLink]]],
    message: str,
    ids: dict[str, int],
    saved: list[tuple[int, bool]],
) -> None:
    """The second pass of an import: related links (every practice exists now), then revisions."""
    wanted_ids = [practice_id for practice_id, _new, _related in batch]
    found = db.session.scalars(sa.select(Practice).where(Practice.id.in_(wanted_ids)))
    practices = {practice.id: practice for practice in found}
    outside = {link.slug for _id, _new, related in batch for link in related if link.slug not in ids}
    if outside:  # practices the hub has and the folder has not
        known = sa.select(Practice.slug, Practice.id).where(Practice.slug.in_(outside))
        ids.update((slug, practice_id) for slug, practice_id in db.session.execute(known).all())
    for practice_id, _new, related in batch:
        _apply_links(practices[practice_id], related, ids)
    db.session.flush()
    revisions = [(practices[practice_id], new) for practice_id, new, _related in batch]
    saved.extend((r.practice_id, was) for r, was in _record_revisions(revisions, None, message, emit=False))
    db.session.flush()
    _release_batch()


def _wanted_links(related: list[RelatedLink]) -> list[tuple[str, LinkType]]:
    return [(link.slug, LinkType(link.type)) for link in dict.fromkeys(related)]


def _links_of(practice: Practice) -> list[tuple[str, LinkType]]:
    return [(link.target.slug, link.type) for link in practice.links]


def _release_batch() -> None:
    """Let a written batch go: the session keeps only weak references to clean rows, but a centre
    collects its new practices in a pending ``practices`` collection — expiring the centres (looked
    up once per import) drops those."""
    memo = _lookups.get() or {}
    for item in memo.values():
        if isinstance(item, Centre):
            db.session.expire(item)


def replace_experiences(practice: Practice, reports: list[Experience]) -> bool:
    """Make the practice's experience reports exactly ``reports`` (import); True when they changed."""
    if sorted(map(_experience, practice.experiences), key=_report_key) == sorted(reports, key=_report_key):
        return False
    practice.experiences.clear()
    db.session.flush()
    practice.experiences.extend(_report(report) for report in reports)
    return True


def _report(report: Experience) -> ExperienceReport:
    return ExperienceReport(
        centre=_one(Centre, Centre.slug, report.centre, "centre"),
        sector_code=_one(Sector, Sector.code, report.sector, "sector").code,
        size_code=_one(CompanySize, CompanySize.code, report.size, "size").code,
        result=Result(report.result),
        date=report.date,
        note=report.note,
    )


# What ``practice_data`` reads beyond the practice's row: load it with these for many practices at once.
DATA_LOAD_OPTIONS = (
    selectinload(Practice.centre),
    selectinload(Practice.sectors),
    selectinload(Practice.sizes),
    selectinload(Practice.topics),
    selectinload(Practice.tags),
    selectinload(Practice.authors),
    selectinload(Practice.links),
    selectinload(Practice.experiences),
)


def practice_data(practice: Practice) -> PracticeData:
    """The practice as plain data, as an export or a revision sees it."""
    outcome = None
    if practice.outcome_result is not None:
        outcome = Outcome(
            practice.outcome_result.value, practice.outcome_effort_days, practice.outcome_cost_eur
        )
    return PracticeData(
        title=practice.title,
        slug=practice.slug,
        kind=practice.kind.value,
        centre=practice.centre.slug,
        authors=sorted(u.username for u in practice.authors),
        summary=practice.summary,
        sectors=[s.code for s in practice.sectors],
        sizes=[s.code for s in practice.sizes],
        topics=[t.slug for t in practice.topics],
        tags=sorted(t.name for t in practice.tags),
        visibility=practice.visibility.value,
        status=practice.status.value,
        published=practice.published,
        updated=practice.updated,
        review_due=practice.review_due,
        outcome=outcome,
        related=[RelatedLink(link.target.slug, link.type.value) for link in practice.links],
        experiences=[_experience(r) for r in practice.experiences],
        body=practice.body,
    )


def workflow_owned(actor: User, practice: Practice | None, data: PracticeData) -> PracticeData:
    """``data`` with status and workflow dates as the workflow left them (a new practice: a draft
    without dates). Those who review (coordinators, admins) may set them; anyone else gets
    ``FieldsRefused`` for a value that differs, and an omitted date keeps the practice's."""
    if can(actor, Action.REVIEW_PRACTICE):
        return data
    current: dict[str, Any] = {
        "status": practice.status.value if practice is not None else Status.DRAFT.value,
        "published": practice.published if practice is not None else None,
        "updated": practice.updated if practice is not None else None,
        "review_due": practice.review_due if practice is not None else None,
    }
    refused = {
        name: "set by the review workflow; only coordinators may change it"
        for name in WORKFLOW_FIELDS
        if getattr(data, name) is not None and getattr(data, name) != current[name]
    }
    if refused:
        raise FieldsRefused(Action.REVIEW_PRACTICE, refused)
    return replace(data, **current)


def keep_hidden_links(actor: User, practice: Practice, data: PracticeData) -> PracticeData:
    """``data`` with the practice's related links to practices ``actor`` may not see kept as they are,
    in their places. Such links are not the writer's to change — they were never shown to them (API,
    editor), so leaving them out of a save must not remove them; the links in ``data`` replace only
    the ones the writer sees."""
    current = [RelatedLink(link.target.slug, link.type.value) for link in practice.links]
    if not current:
        return data
    slugs = {link.slug for link in current}
    visible = sa.select(Practice.slug).where(Practice.slug.in_(slugs), visible_clause(actor))
    seen = set(db.session.scalars(visible))
    hidden = [(position, link) for position, link in enumerate(current) if link.slug not in seen]
    if not hidden:
        return data
    kept = {link for _position, link in hidden}
    related = [link for link in dict.fromkeys(data.related) if link not in kept]
    for position, link in hidden:
        related.insert(min(position, len(related)), link)
    return replace(data, related=related)


def _check_owner_change(actor: User, practice: Practice, data: PracticeData) -> None:
    """Moving a practice to another centre needs the right to write for that centre, as creating does."""
    centre = practice.centre
    if data.centre != centre.slug:
        centre = _one(Centre, Centre.slug, data.centre, "centre")
        if not can(actor, Action.CREATE_PRACTICE, centre):
            raise FieldsRefused(Action.CREATE_PRACTICE, {"centre": "you may not write for this centre"})
    _check_authors(actor, practice, data, centre)


def _check_authors(actor: User, practice: Practice | None, data: PracticeData, centre: Centre) -> None:
    """Coordinators and admins name anyone as author; others add only themselves and members of the
    owning centre (authors already named may stay)."""
    if can(actor, Action.REVIEW_PRACTICE):
        return
    named = {author.username for author in practice.authors} if practice is not None else set()
    added = [name for name in data.authors if name not in named and name != actor.username]
    if not added:
        return
    members = set(
        db.session.scalars(
            sa.select(User.username).where(User.username.in_(added), User.centre_id == centre.id)
        )
    )
    strangers = [name for name in added if name not in members]
    if strangers:
        raise FieldsRefused(
            Action.EDIT_PRACTICE,
            {"authors": f"only yourself and members of the owning centre: not {', '.join(strangers)}"},
        )


def _move_slug(practice: Practice, new_slug: str) -> None:
    """Give the practice a new slug; every old one keeps redirecting."""
    owner = slug_owner(new_slug)
    if (owner is not None and owner != practice.id) or new_slug in PRACTICE_SLUGS.reserved():
        raise SlugTaken(new_slug)
    reclaimed = db.session.get(SlugRedirect, new_slug)
    if reclaimed is not None:  # going back to an earlier slug of its own
        db.session.delete(reclaimed)
    db.session.add(SlugRedirect(old_slug=practice.slug, practice_id=practice.id))
    db.session.flush()


def _exists(slug: str) -> bool:
    return db.session.scalar(sa.select(Practice.id).where(Practice.slug == slug)) is not None


def _date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _unchanged(practice: Practice, data: PracticeData) -> bool:
    """True when saving ``data`` would not change the practice (list order aside)."""
    current = practice_data(practice)
    same_meta = _normalised(current, current).front_matter() == _normalised(data, current).front_matter()
    return same_meta and current.body == data.body


def _normalised(data: PracticeData, current: PracticeData) -> PracticeData:
    """``data`` in the canonical order the database returns lists in, for comparing."""
    topic_order, size_order = topic_positions(), size_positions()
    published = data.published
    if published is None and data.status == Status.PUBLISHED:
        published = current.published
    return replace(
        data,
        sectors=sorted(dict.fromkeys(data.sectors)),
        sizes=sorted(dict.fromkeys(data.sizes), key=lambda code: size_order.get(code, 99)),
        topics=sorted(dict.fromkeys(data.topics), key=lambda slug: topic_order.get(slug, 999)),
        authors=sorted(dict.fromkeys(data.authors)),
        tags=sorted(dict.fromkeys(canonical_tag(t) for t in data.tags)),
        related=list(dict.fromkeys(data.related)),
        published=published,
    )


def _apply(practice: Practice, data: PracticeData, *, with_links: bool = True) -> None:
    with db.session.no_autoflush:  # a new practice is incomplete until every field is set
        _apply_fields(practice, data)
    if with_links:
        _apply_links(practice, data.related)


def _apply_fields(practice: Practice, data: PracticeData) -> None:
    practice.slug = data.slug
    practice.title = data.title
    practice.kind = Kind(data.kind)
    practice.centre = _one(Centre, Centre.slug, data.centre, "centre")
    practice.summary = data.summary
    practice.body = data.body
    practice.visibility = Visibility(data.visibility)
    practice.status = Status(data.status)
    practice.published = data.published
    if practice.status == Status.PUBLISHED and practice.published is None:
        practice.published = date.today()  # first published in the hub
    practice.updated = data.updated
    practice.review_due = data.review_due
    practice.outcome_result = Result(data.outcome.result) if data.outcome else None
    practice.outcome_effort_days = data.outcome.effort_days if data.outcome else None
    practice.outcome_cost_eur = data.outcome.cost_eur if data.outcome else None
    practice.sectors = _many(Sector, Sector.code, data.sectors, "sector")
    practice.sizes = _many(CompanySize, CompanySize.code, data.sizes, "size")
    practice.topics = _many(Topic, Topic.slug, data.topics, "topic")
    practice.authors = _many(User, User.username, data.authors, "user")
    practice.tags = [_tag(name) for name in dict.fromkeys(_canonical_tag(t) for t in data.tags)]


def _apply_links(
    practice: Practice, related: list[RelatedLink], ids: Mapping[str, int] | None = None
) -> None:
    """Make the practice's related links exactly ``related``; ``ids`` (slug → id, an import's) spares
    a look-up per target."""
    wanted = _wanted_links(related)
    if _links_of(practice) == wanted:
        return
    practice.links.clear()
    db.session.flush()
    for position, (slug, link_type) in enumerate(wanted):
        if ids is not None and slug in ids:
            link = PracticeLink(target_id=ids[slug], type=link_type, position=position)
        else:
            target = _one(Practice, Practice.slug, slug, "practice")
            link = PracticeLink(target=target, type=link_type, position=position)
        practice.links.append(link)


def _record_revision(practice: Practice, actor: User | None, message: str) -> Revision:
    return _record_revisions([(practice, False)], actor, message)[0][0]


def _record_revisions(
    practices: list[tuple[Practice, bool]], actor: User | None, message: str, *, emit: bool = True
) -> list[tuple[Revision, bool]]:
    """A new revision for each practice (True: created in this transaction, so it has none yet),
    with one flush before and one after; returns (revision, was_published) of each. ``emit``:
    send ``practice_saved`` for each (an import sends one ``practices_imported`` instead)."""
    db.session.flush()
    revisions = []
    for practice, new in practices:
        previous = db.session.get(Revision, practice.head_revision_id) if practice.head_revision_id else None
        number = 1 if new else _last_number(practice) + 1
        data = practice_data(practice)
        revision = Revision(
            practice_id=practice.id,
            number=number,
            author=actor,
            message=message,
            data=_revision_meta(practice, data),
            body=data.body,
        )
        db.session.add(revision)
        revisions.append((practice, previous, revision))
    db.session.flush()
    done = []
    for practice, previous, revision in revisions:
        practice.head_revision_id = revision.id
        was_published = previous is not None and previous.data.get("status") == Status.PUBLISHED.value
        if emit:
            events.emit(events.practice_saved, practice, actor=actor, was_published=was_published)
        done.append((revision, was_published))
    return done


def _last_number(practice: Practice) -> int:
    latest = sa.select(sa.func.max(Revision.number)).where(Revision.practice_id == practice.id)
    return db.session.scalar(latest) or 0


def record_revision(practice: Practice, actor: User | None, message: str) -> Revision:
    """A new revision for a change outside the practice's fields (its attachments); the caller
    has checked the permission."""
    return _record_revision(practice, actor, message)


def _revision_meta(practice: Practice, data: PracticeData) -> dict[str, Any]:
    """The revision's metadata: the front matter, and the attached files when there are any."""
    meta = data.revision_data()
    if practice.attachments:
        meta["attachments"] = [attachment.revision_entry() for attachment in practice.attachments]
    return meta


def _experience(report: ExperienceReport) -> Experience:
    return Experience(
        centre=report.centre.slug,
        sector=report.sector_code,
        size=report.size_code,
        result=report.result.value,
        date=report.date,
        note=report.note,
    )


def _report_key(report: Experience) -> tuple[str, ...]:
    return (report.date.isoformat(), report.centre, report.sector, report.size, report.result, report.note)


def _canonical_tag(name: str) -> str:
    """``canonical_tag``; during an import from every alias read once (not one look-up per tag)."""
    memo = _lookups.get()
    if memo is None:
        return canonical_tag(name)
    aliases = memo.get((TagAlias, "alias", "*"))
    if aliases is None:
        aliases = memo[(TagAlias, "alias", "*")] = tag_aliases()
    return canonical_tag(name, aliases)


def _tag(name: str) -> Tag:
    memo = _lookups.get()
    if memo is not None and (Tag, "name", name) in memo:
        return memo[(Tag, "name", name)]
    tag = _find_tag(name)
    if memo is not None:
        memo[(Tag, "name", name)] = tag
    return tag


def _find_tag(name: str) -> Tag:
    tag = db.session.scalars(sa.select(Tag).where(Tag.name == name)).one_or_none()
    if tag is None:  # maybe created moments ago and not flushed yet
        tag = next((obj for obj in db.session.new if isinstance(obj, Tag) and obj.name == name), None)
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
    return tag


# During an import: (model, column, value) → the row, so that each is looked up once per import.
_lookups: ContextVar[dict[tuple[Any, str, str], Any] | None] = ContextVar("import_lookups", default=None)


def _one(model: Any, column: Any, value: str, what: str) -> Any:
    memo = _lookups.get()
    key = (model, column.key, value)
    if memo is not None and key in memo:
        return memo[key]
    item = db.session.scalars(sa.select(model).where(column == value)).one_or_none()
    if memo is not None and item is not None and model is not Practice:
        memo[key] = item
    if item is None:
        raise UnknownReference(f"unknown {what}: {value!r}")
    return item


def _many(model: Any, column: Any, values: list[str], what: str) -> list[Any]:
    if not values:
        return []
    memo = _lookups.get()
    if memo is not None and all((model, column.key, v) in memo for v in values):
        return [memo[(model, column.key, v)] for v in dict.fromkeys(values)]
    found = {
        getattr(item, column.key): item
        for item in db.session.scalars(sa.select(model).where(column.in_(values)))
    }
    missing = [v for v in values if v not in found]
    if missing:
        raise UnknownReference(f"unknown {what}: {', '.join(map(repr, missing))}")
    if memo is not None:
        memo.update(((model, column.key, value), item) for value, item in found.items())
    return [found[v] for v in dict.fromkeys(values)]
