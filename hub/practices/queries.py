"""Read-side queries over practices, always filtered by what the reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from hub.extensions import db
from hub.filters import LIST_FILTER_NAMES, MAX_VALUES
from hub.markdown import LinkTarget
from hub.models import (
    Centre,
    CompanySize,
    Practice,
    PracticeLink,
    Revision,
    Sector,
    StatusChange,
    Tag,
    Topic,
    User,
    practice_tags,
)
from hub.search import SearchRequest, search_service
from hub.visibility import (
    listed_clause,
    listed_statuses,
    published_revisions,
    sees_drafts,
    visible_clause,
    workflow_step_public,
)
from hub.vocabulary import Kind, Result, Status

# Loads what list rows show, in a fixed number of queries.
LIST_OPTIONS = (
    selectinload(Practice.centre),
    selectinload(Practice.sectors),
    selectinload(Practice.sizes),
    selectinload(Practice.topics),
)


@dataclass
class PracticeFilter:
    """The filters of the practice list: several values of one facet widen, facets combine."""

    sectors: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    centres: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    query: str = ""

    # URL parameter → attribute: the list filters of ``hub.filters`` (``sector`` → ``sectors`` …), the status.
    PARAMS: ClassVar[dict[str, str]] = {
        **{name: f"{name}s" for name in LIST_FILTER_NAMES},
        "status": "statuses",
    }

    @classmethod
    def from_args(cls, args: Any) -> PracticeFilter:
        values = {
            attr: [v for v in args.getlist(param) if v][:MAX_VALUES] for param, attr in cls.PARAMS.items()
        }
        return cls(**values, query=(args.get("q") or "").strip()[:200])

    def as_args(self) -> list[tuple[str, str]]:
        pairs = [(param, v) for param, attr in self.PARAMS.items() for v in getattr(self, attr)]
        return ([("q", self.query)] if self.query else []) + pairs

    def is_empty(self) -> bool:
        return not self.as_args()


def practice_select(user: Any, flt: PracticeFilter | None = None) -> sa.Select[tuple[Practice]]:
    """Practices ``user`` may see in lists, narrowed by ``flt``'s facets, newest first (SQL).

    For the start page and the feeds. Lists with words and facet counts go through the index
    (``practice_page``); words are not matched here.
    """
    flt = flt or PracticeFilter()
    if flt.query:
        raise ValueError("words are matched by the search index: use practice_page()")
    stmt = sa.select(Practice).where(listed_clause(user, listed_statuses(user, flt.statuses)))
    if flt.sectors:
        stmt = stmt.where(Practice.sectors.any(Sector.code.in_(flt.sectors)))
    if flt.sizes:
        stmt = stmt.where(Practice.sizes.any(CompanySize.code.in_(flt.sizes)))
    if flt.topics:
        stmt = stmt.where(Practice.topics.any(Topic.slug.in_(flt.topics)))
    if flt.tags:
        stmt = stmt.where(Practice.tags.any(Tag.name.in_(flt.tags)))
    if flt.kinds:
        stmt = stmt.where(Practice.kind.in_(_codes(Kind, flt.kinds)))
    if flt.outcomes:
        stmt = stmt.where(Practice.outcome_result.in_(_codes(Result, flt.outcomes)))
    if flt.centres:
        stmt = stmt.where(Practice.centre.has(Centre.slug.in_(flt.centres)))
    return stmt.order_by(Practice.published.desc().nulls_last(), Practice.title).options(*LIST_OPTIONS)


@dataclass
class PracticePage:
    items: list[Practice]
    total: int
    facets: dict[str, dict[str, int]]  # facet (sector, size, …) → value → count


def practice_page(user: Any, flt: PracticeFilter, page: int, per_page: int, *, source: str) -> PracticePage:
    """One page of a practice list: ids, total, order and facet counts from the search index.

    The page's rows are then loaded in one query, in the index's order, and checked against the
    visibility rule once more (an index that lags behind never shows what the database hides).
    """
    statuses = listed_statuses(user, flt.statuses)
    listed = search_service().list_page(user, search_request(flt, page, per_page), source=source)
    if not listed.slugs:
        return PracticePage([], listed.total, listed.facets)
    rows = db.session.scalars(
        sa.select(Practice)
        .where(Practice.slug.in_(listed.slugs), listed_clause(user, statuses))
        .options(*LIST_OPTIONS)
    )
    by_slug = {p.slug: p for p in rows}
    return PracticePage([by_slug[s] for s in listed.slugs if s in by_slug], listed.total, listed.facets)


def search_request(flt: PracticeFilter, page: int, per_page: int) -> SearchRequest:
    """The list's filters as a request to the index (newest first without words, else by relevance)."""
    filters = {param: getattr(flt, attr) for param, attr in flt.PARAMS.items() if param != "status"}
    return SearchRequest(
        q=flt.query,
        filters={param: values for param, values in filters.items() if values},
        statuses=list(flt.statuses),
        sort="relevance",
        page=page,
        per_page=per_page,
    )


def count_by(user: Any, column: Any, association: sa.Table | None = None) -> dict[str, int]:
    """How many listed practices per value of ``column`` (e.g. per sector code), for this user."""
    stmt = sa.select(column, sa.func.count(sa.distinct(Practice.id))).select_from(Practice)
    if association is not None:
        stmt = stmt.join(association, association.c.practice_id == Practice.id)
    stmt = stmt.where(listed_clause(user)).group_by(column)
    return {str(key): count for key, count in db.session.execute(stmt) if key is not None}


def visible_tag_counts(user: Any) -> dict[str, int]:
    """Tag name → how many practices ``user`` may see carry it. Tags that only practices hidden from
    ``user`` carry are left out (they would reveal a draft); tags no practice carries count 0."""
    carried = dict(
        db.session.execute(
            sa.select(Tag.name, sa.func.count(practice_tags.c.practice_id))
            .outerjoin(practice_tags, practice_tags.c.tag_id == Tag.id)
            .group_by(Tag.name)
        ).tuples().all()
    )
    visible = dict(
        db.session.execute(
            sa.select(Tag.name, sa.func.count(sa.distinct(Practice.id)))
            .join(practice_tags, practice_tags.c.tag_id == Tag.id)
            .join(Practice, Practice.id == practice_tags.c.practice_id)
            .where(visible_clause(user))
            .group_by(Tag.name)
        ).tuples().all()
    )
    return {name: visible.get(name, 0) for name, count in carried.items() if not count or visible.get(name)}


def tag_visible(user: Any, tag: Tag) -> bool:
    """Whether ``user`` may know of ``tag``: some practice they may see carries it, or none at all does."""
    carriers = sa.select(Practice.id).join(practice_tags, practice_tags.c.practice_id == Practice.id)
    carriers = carriers.where(practice_tags.c.tag_id == tag.id)
    if db.session.scalar(carriers.limit(1)) is None:
        return True
    return db.session.scalar(carriers.where(visible_clause(user)).limit(1)) is not None


def get_practice(user: Any, slug: str) -> Practice | None:
    """The practice with this slug if the user may see it, else None (hidden and missing look alike)."""
    stmt = sa.select(Practice).where(Practice.slug == slug, visible_clause(user))
    return db.session.scalars(stmt).one_or_none()


def visible_links(user: Any, practice: Practice) -> tuple[list[PracticeLink], list[PracticeLink]]:
    """Typed links from and to ``practice`` whose other end the user may see (outgoing, incoming)."""
    visible_ids = sa.select(Practice.id).where(visible_clause(user)).scalar_subquery()
    outgoing = db.session.scalars(
        sa.select(PracticeLink)
        .where(PracticeLink.source_id == practice.id, PracticeLink.target_id.in_(visible_ids))
        .order_by(PracticeLink.position)
        .options(selectinload(PracticeLink.target))
    ).all()
    incoming = db.session.scalars(
        sa.select(PracticeLink)
        .join(Practice, Practice.id == PracticeLink.source_id)
        .where(PracticeLink.target_id == practice.id, visible_clause(user))
        .where(Practice.status != Status.ARCHIVED)
        .order_by(Practice.title)
        .options(selectinload(PracticeLink.source))
    ).all()
    return list(outgoing), list(incoming)


def visible_revisions(user: Any, practice: Practice) -> list[Revision]:
    """The revisions ``user`` may see, newest first: all for those who see drafts, else the published."""
    revisions = list(
        db.session.scalars(
            sa.select(Revision)
            .where(Revision.practice_id == practice.id)
            .order_by(Revision.number.desc())
            .options(selectinload(Revision.author))
        )
    )
    if sees_drafts(user, practice):
        return revisions
    changes = db.session.execute(
        sa.select(StatusChange.at, StatusChange.to_status)
        .where(StatusChange.practice_id == practice.id)
        .order_by(StatusChange.at, StatusChange.id)
    ).all()
    saved = [(r.number, r.created_at, str(r.data.get("status", ""))) for r in reversed(revisions)]
    public = published_revisions(saved, [(at, to_status) for at, to_status in changes])
    return [r for r in revisions if r.number in public]


def shown_revision_number(user: Any, practice: Practice) -> int | None:
    """The version number of the practice as ``user`` may know it: the head's own number for those
    who see its drafts; for everyone else the count of the versions they may see (the published
    ones), so the number never tells how many drafts came before or in between."""
    if practice.head is None:
        return None
    if sees_drafts(user, practice):
        return practice.head.number
    return len(visible_revisions(user, practice)) or None


def revision_meta(user: Any, revision: Revision) -> dict[str, Any]:
    """A revision's metadata as ``user`` may see it: related practices they may not see left out."""
    meta: dict[str, Any] = dict(revision.data)  # JSON front matter
    related = meta.get("related")
    if related:
        slugs = [link.get("slug") for link in related if isinstance(link, dict)]
        seen = set(
            db.session.scalars(sa.select(Practice.slug).where(Practice.slug.in_(slugs), visible_clause(user)))
        )
        meta["related"] = [link for link in related if isinstance(link, dict) and link.get("slug") in seen]
        if not meta["related"]:
            del meta["related"]
    return meta


@dataclass(frozen=True)
class WorkflowStep:
    at: datetime
    actor: User | None
    from_status: Any
    to_status: Any
    comment: str


def visible_workflow(user: Any, practice: Practice) -> list[WorkflowStep]:
    """The practice's workflow steps, newest first: all with comments for those who see drafts;
    for everyone else the steps into and out of publication, without review comments."""
    changes = db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.practice_id == practice.id)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        .options(selectinload(StatusChange.actor))
    )
    insider = sees_drafts(user, practice)
    return [
        WorkflowStep(c.at, c.actor, c.from_status, c.to_status, c.comment if insider else "")
        for c in changes
        if insider or workflow_step_public(c.from_status, c.to_status)
    ]


def link_resolver(user: Any):  # noqa: ANN201 - returns hub.markdown.Resolver
    """Resolve ``[[slug]]`` links for this reader: only practices they may see get a target."""

    def resolve(slugs: Iterable[str]) -> dict[str, LinkTarget]:
        wanted = list(slugs)
        if not wanted:
            return {}
        rows = db.session.execute(
            sa.select(Practice.slug, Practice.title).where(Practice.slug.in_(wanted), visible_clause(user))
        )
        return {slug: LinkTarget(url_for("practices.detail", slug=slug), title) for slug, title in rows}

    return resolve


def _codes(enum: Any, values: list[str]) -> list[Any]:
    return [enum(v) for v in values if v in {m.value for m in enum}]
