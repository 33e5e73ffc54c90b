"""Load the candidate practices for a client profile, as far as the adviser may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.matching.scoring import Candidate, EvidenceItem, Profile, Ranked, rank
from hub.models import Centre, CompanySize, ExperienceReport, Practice, Topic
from hub.models.practices import practice_sectors, practice_sizes, practice_topics
from hub.search import SearchRequest, search_service
from hub.visibility import listed_clause
from hub.vocabulary.stored import ORDER, size_codes

# slug -> relevance 0..1 of the profile's free text, for the practices the user may see
TextScorer = Callable[[Any, str], dict[str, float]]


def match(
    user: Any, profile: Profile, *, limit: int = 20, text_scorer: TextScorer | None = None
) -> list[Ranked]:
    profile = with_size_order(profile)
    relevance = (text_scorer or search_relevance)(user, profile.query) if profile.query else {}
    stmt = sa.select(Practice).where(listed_clause(user))
    # Candidates: in the sector (listed or reported), on a topic, of the size — each an uncorrelated
    # IN over an indexed column, which databases evaluate once, not per practice.
    listed_in, sized, on_topic = practice_sectors.c, practice_sizes.c, practice_topics.c
    wanted = []
    if profile.sector:
        listed = listed_in.sector_code == profile.sector
        reported = ExperienceReport.sector_code == profile.sector
        wanted.append(Practice.id.in_(sa.select(listed_in.practice_id).where(listed)))
        wanted.append(Practice.id.in_(sa.select(ExperienceReport.practice_id).where(reported)))
    if profile.topics:
        topics = sa.select(Topic.id).where(Topic.slug.in_(profile.topics))
        wanted.append(Practice.id.in_(sa.select(on_topic.practice_id).where(on_topic.topic_id.in_(topics))))
    if profile.size and not wanted:
        wanted.append(Practice.id.in_(sa.select(sized.practice_id).where(sized.size_code == profile.size)))
    if relevance:
        wanted.append(Practice.slug.in_(list(relevance)))
    if wanted:
        stmt = stmt.where(sa.or_(*wanted))
    elif profile.query:
        return []  # only free text, and it matched nothing
    return rank(candidates(stmt, relevance), profile, limit)


def with_size_order(profile: Profile) -> Profile:
    """The profile with the company sizes in the database's order (which sizes neighbour each other)."""
    return profile if profile.size_order or not profile.size else replace(profile, size_order=size_codes())


ID_BATCH = 5_000  # practice ids per IN list (SQLite allows 32,766 parameters per statement)


def candidates(chosen: sa.Select, relevance: dict[str, float]) -> list[Candidate]:
    """The chosen practices as candidates, read as plain rows: a few queries per 5,000 practices
    (ORM objects with their collections cost seconds for tens of thousands)."""
    connection = db.session.connection()  # Core rows: no ORM result processing
    ids = list(connection.scalars(chosen.with_only_columns(Practice.id)))
    found: list[Candidate] = []
    for start in range(0, len(ids), ID_BATCH):
        found.extend(_candidate_batch(connection, ids[start : start + ID_BATCH], relevance))
    return found


def _candidate_batch(
    connection: sa.Connection, ids: list[int], relevance: dict[str, float]
) -> list[Candidate]:
    sectors = _grouped(
        connection,
        sa.select(practice_sectors.c.practice_id, practice_sectors.c.sector_code)
        .where(practice_sectors.c.practice_id.in_(ids))
        .order_by(practice_sectors.c.sector_code),
    )
    sizes = _grouped(
        connection,
        sa.select(practice_sizes.c.practice_id, CompanySize.code)
        .join(CompanySize, CompanySize.code == practice_sizes.c.size_code)
        .where(practice_sizes.c.practice_id.in_(ids))
        .order_by(*ORDER[CompanySize]),
    )
    topics = _grouped(
        connection,
        sa.select(practice_topics.c.practice_id, Topic.slug)
        .join(Topic, Topic.id == practice_topics.c.topic_id)
        .where(practice_topics.c.practice_id.in_(ids))
        .order_by(*ORDER[Topic]),
    )
    reports = _grouped(
        connection,
        sa.select(
            ExperienceReport.practice_id,
            ExperienceReport.sector_code,
            ExperienceReport.size_code,
            ExperienceReport.result,
        )
        .where(ExperienceReport.practice_id.in_(ids))
        .order_by(ExperienceReport.date, ExperienceReport.id),
    )
    rows = connection.execute(
        sa.select(Practice.id, Practice.slug, Practice.title, Practice.kind, Practice.outcome_result)
        .add_columns(Centre.state)
        .join(Centre, Centre.id == Practice.centre_id)
        .where(Practice.id.in_(ids))
    ).all()
    return [
        Candidate(
            slug=slug,
            title=title,
            sectors=sectors.get(practice_id, []),
            sizes=sizes.get(practice_id, []),
            topics=topics.get(practice_id, []),
            centre_state=state,
            kind=kind.value,
            outcome=outcome.value if outcome else None,
            reports=[EvidenceItem(sec, size, res.value) for sec, size, res in reports.get(practice_id, [])],
            text=relevance.get(slug, 0.0),
        )
        for practice_id, slug, title, kind, outcome, state in rows
    ]


def to_candidate(practice: Practice, text: float) -> Candidate:
    """One loaded practice as a candidate (``candidates`` reads the same facts for many at once)."""
    return Candidate(
        slug=practice.slug,
        title=practice.title,
        sectors=[s.code for s in practice.sectors],
        sizes=[s.code for s in practice.sizes],
        topics=[t.slug for t in practice.topics],
        centre_state=practice.centre.state,
        kind=practice.kind.value,
        outcome=practice.outcome_result.value if practice.outcome_result else None,
        reports=[EvidenceItem(r.sector_code, r.size_code, r.result.value) for r in practice.experiences],
        text=text,
    )


def _grouped(connection: sa.Connection, stmt: sa.Select) -> dict[int, list[Any]]:
    """Rows of (practice id, value…) as practice id → its values, in the statement's order."""
    found: dict[int, list[Any]] = {}
    for practice_id, *values in connection.execute(stmt).all():
        found.setdefault(practice_id, []).append(values[0] if len(values) == 1 else tuple(values))
    return found


def search_relevance(user: Any, query: str, limit: int = 200) -> dict[str, float]:
    """Relevance of the profile's words from the German search index (0…1, best hit 1)."""
    result = search_service().find(user, SearchRequest(q=query, per_page=limit))
    best = max((hit.score for hit in result.hits), default=0.0) or 1.0
    return {hit.card["slug"]: hit.score / best for hit in result.hits if hit.score > 0}
