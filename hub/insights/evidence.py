"""Evidence matrix: for a topic, tag or collection — practices × sectors, worked/partly/failed counts.

A cell counts like the client matching's ``same_sector`` evidence (one rule, in
``hub.matching.scoring.evidence_counts``): the practice's own outcome when it lists the sector,
plus the experience reports made in that sector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from hub.collections.queries import collection_practices, get_collection
from hub.extensions import db
from hub.matching.queries import candidates, to_candidate
from hub.matching.scoring import Candidate, Profile, evidence_counts
from hub.models import Practice, Sector, Tag, Topic
from hub.visibility import listed_clause
from hub.vocabulary.stored import ORDER

RESULTS = ("worked", "partly", "failed")
SORTS = ("title", "worked", "failed", "evidence")


@dataclass
class MatrixRow:
    slug: str
    title: str
    cells: dict[str, dict[str, int]]  # sector code -> counts

    def total(self, result: str) -> int:
        return sum(cell[result] for cell in self.cells.values())


@dataclass
class Matrix:
    subject: str  # e.g. "Thema: Künstliche Intelligenz"
    sectors: list[Sector]
    rows: list[MatrixRow]


def evidence_matrix(user: Any, *, topic: str | None = None, tag: str | None = None,
                    collection: str | None = None, sort: str = "title") -> Matrix | None:
    """None when the topic, tag or collection does not exist (or is not visible)."""
    found, subject = _candidates(user, topic, tag, collection)
    if found is None:
        return None
    rows = []
    for candidate in found:
        codes = sorted(set(candidate.sectors) | {r.sector for r in candidate.reports})
        cells = {code: evidence_counts(candidate, Profile(sector=code))["same_sector"] for code in codes}
        cells = {code: counts for code, counts in cells.items() if any(counts.values())}
        rows.append(MatrixRow(candidate.slug, candidate.title, cells))
    used = sorted({code for row in rows for code in row.cells})
    stmt = sa.select(Sector).where(Sector.code.in_(used)).order_by(*ORDER[Sector])
    sectors = list(db.session.scalars(stmt))
    key = {
        "title": lambda r: r.title.lower(),
        "worked": lambda r: (-r.total("worked"), r.title.lower()),
        "failed": lambda r: (-r.total("failed"), r.title.lower()),
        "evidence": lambda r: (-sum(r.total(x) for x in RESULTS), r.title.lower()),
    }[sort if sort in SORTS else "title"]
    return Matrix(subject, sectors, sorted(rows, key=key))


def matrix_csv_rows(matrix: Matrix) -> list[list[object]]:
    header: list[object] = ["slug", "title", *(f"{s.code}_{r}" for s in matrix.sectors for r in RESULTS)]
    body: list[list[object]] = [
        [row.slug, row.title]
        + [row.cells.get(s.code, {}).get(r, 0) for s in matrix.sectors for r in RESULTS]
        for row in matrix.rows
    ]
    return [header, *body]


def _candidates(
    user: Any, topic: str | None, tag: str | None, collection: str | None
) -> tuple[list[Candidate] | None, str]:
    """The practices of the topic, tag or collection that ``user`` may see, with their evidence."""
    listed = sa.select(Practice).where(listed_clause(user))
    if topic:
        item = db.session.scalars(sa.select(Topic).where(Topic.slug == topic)).one_or_none()
        if item is None:
            return None, ""
        return candidates(listed.where(Practice.topics.any(Topic.id == item.id)), {}), item.name
    if tag:
        found_tag = db.session.scalars(sa.select(Tag).where(Tag.name == tag)).one_or_none()
        if found_tag is None:
            return None, ""
        return candidates(listed.where(Practice.tags.any(Tag.id == found_tag.id)), {}), found_tag.name
    if collection:
        chosen = get_collection(user, collection)
        if chosen is None:
            return None, ""
        return [to_candidate(practice, 0.0) for practice in collection_practices(user, chosen)], chosen.title
    return None, ""
