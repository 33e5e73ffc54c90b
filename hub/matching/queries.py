"""Load the candidate practices for a client profile, as far as the adviser may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from hub.extensions import db
from hub.matching.scoring import Candidate, EvidenceItem, Profile, Ranked, rank
from hub.models import CompanySize, ExperienceReport, Practice, Sector, Topic
from hub.practices.visibility import listed_clause

# slug -> relevance 0..1 of the profile's free text, for the practices the user may see
TextScorer = Callable[[Any, str], dict[str, float]]


def match(
    user: Any, profile: Profile, *, limit: int = 20, text_scorer: TextScorer | None = None
) -> list[Ranked]:
    relevance = (text_scorer or search_relevance)(user, profile.query) if profile.query else {}
    stmt = sa.select(Practice).where(listed_clause(user))
    wanted = []
    if profile.sector:
        wanted.append(Practice.sectors.any(Sector.code == profile.sector))
        wanted.append(Practice.experiences.any(ExperienceReport.sector_code == profile.sector))
    if profile.topics:
        wanted.append(Practice.topics.any(Topic.slug.in_(profile.topics)))
    if profile.size and not wanted:
        wanted.append(Practice.sizes.any(CompanySize.code == profile.size))
    if relevance:
        wanted.append(Practice.slug.in_(list(relevance)))
    if wanted:
        stmt = stmt.where(sa.or_(*wanted))
    elif profile.query:
        return []  # only free text, and it matched nothing
    stmt = stmt.options(
        selectinload(Practice.centre),
        selectinload(Practice.sectors),
        selectinload(Practice.sizes),
        selectinload(Practice.topics),
        selectinload(Practice.experiences),
    )
    candidates = [to_candidate(p, relevance.get(p.slug, 0.0)) for p in db.session.scalars(stmt)]
    return rank(candidates, profile)[:limit]


def to_candidate(practice: Practice, text: float) -> Candidate:
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


def search_relevance(user: Any, query: str, limit: int = 200) -> dict[str, float]:
    """Relevance of the profile's words from the German search index (0…1, best hit 1)."""
    from flask import current_app

    from hub.search.query import SearchRequest, search
    from hub.search.sync import get_index, sync_if_stale

    sync_if_stale(current_app._get_current_object())  # type: ignore[attr-defined]
    result = search(get_index(), db.session, user, SearchRequest(q=query, per_page=limit), facets=False,
                    highlight=False)  # fmt: skip
    best = max((hit.score for hit in result.hits), default=0.0) or 1.0
    return {hit.card["slug"]: hit.score / best for hit in result.hits if hit.score > 0}
