"""The ranking of practices for a client profile — one documented formula.

For a profile (sector S, size Z, state, topics T, optional text q) each candidate practice gets

    score = 3.0 · text + 2.0 · [S in practice sectors] + size_fit + 0.75 · |T ∩ topics|
            + 0.5 · [centre in the profile's state] + evidence

    size_fit  = 1.0 if Z is one of the practice's sizes, 0.5 if a neighbouring size, else 0
    evidence  = Σ over evidence items  similarity · value
        items      = the practice's own outcome (in each of its sectors and sizes, counted once, at the
                     best-matching sector/size) plus every experience report (its sector and size)
        value      = +1 worked, +0.4 partly, −1 failed
        similarity = sector_sim · size_sim;  sector_sim = 1 same sector, 0.25 other
                     size_sim = 1 same size, 0.6 neighbouring, 0.3 other

``text`` is the search relevance of q, normalised to 0…1 (1 for the best hit; 0 without q), so a
strong text match in another sector does not outrank an equally relevant same-sector practice.
Practices that failed for businesses like the client's (a failed item with sector_sim = 1) are kept
and flagged as warnings — knowing what did not work is part of the advice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

VALUE = {"worked": 1.0, "partly": 0.4, "failed": -1.0}
WEIGHTS = {"text": 3.0, "sector": 2.0, "size": 1.0, "neighbour_size": 0.5, "topic": 0.75, "state": 0.5}


@dataclass(frozen=True)
class Profile:
    sector: str | None = None
    size: str | None = None
    state: str | None = None
    topics: tuple[str, ...] = ()
    query: str = ""
    size_order: tuple[str, ...] = ()  # the company sizes, smallest first (the database's order)


@dataclass(frozen=True)
class EvidenceItem:
    sector: str
    size: str
    result: str
    own: bool = False  # the practice's own outcome (vs. another centre's experience report)


@dataclass
class Candidate:
    slug: str
    title: str
    sectors: list[str]
    sizes: list[str]
    topics: list[str]
    centre_state: str
    kind: str
    outcome: str | None
    reports: list[EvidenceItem]
    text: float = 0.0  # normalised text relevance 0..1


@dataclass
class Ranked:
    candidate: Candidate
    score: float
    reasons: list[dict[str, object]]
    evidence: dict[str, dict[str, int]]
    warning: bool = False
    failed_sectors: list[str] = field(default_factory=list)


def size_similarity(a: str | None, b: str | None, order: tuple[str, ...]) -> float:
    """1 for the same size, 0.6 for a neighbouring one in ``order``, else 0.3."""
    if a is None or b is None:
        return 1.0
    if a == b:
        return 1.0
    if a in order and b in order and abs(order.index(a) - order.index(b)) == 1:
        return 0.6
    return 0.3


def sector_similarity(a: str | None, b: str | None) -> float:
    return 1.0 if a is None or b is None or a == b else 0.25


def evidence_items(c: Candidate, profile: Profile) -> list[EvidenceItem]:
    """The own outcome (once, at the practice's best-matching sector and size) plus every report."""
    items = list(c.reports)
    if c.outcome:
        sector = profile.sector if profile.sector in c.sectors else (c.sectors[0] if c.sectors else "")
        size = max(c.sizes, key=lambda s: size_similarity(profile.size, s, profile.size_order), default="")
        items.insert(0, EvidenceItem(sector, size, c.outcome, own=True))
    return items


def evidence_counts(c: Candidate, profile: Profile) -> dict[str, dict[str, int]]:
    """worked/partly/failed counts: ``all`` of them, and ``same_sector`` (own outcome only when the
    practice lists the profile's sector, plus the reports made in that sector)."""
    items = evidence_items(c, profile)
    every = Counter(i.result for i in items)
    same = Counter(i.result for i in items if profile.sector is not None and i.sector == profile.sector)
    return {
        "same_sector": {r: same.get(r, 0) for r in VALUE},
        "all": {r: every.get(r, 0) for r in VALUE},
    }


def rank(candidates: list[Candidate], profile: Profile, limit: int | None = None) -> list[Ranked]:
    """The best ``limit`` candidates (all without), best first, equal points by title.

    Every candidate is scored with ``points`` alone; reasons and evidence counts are worked out
    only for those shown — tens of thousands of candidates stay cheap.
    """
    totals = {id(c): points(c, profile) for c in candidates}
    best = sorted(candidates, key=lambda c: (-totals[id(c)], c.title))
    return [score(c, profile) for c in (best if limit is None else best[:limit])]


def points(c: Candidate, profile: Profile) -> float:
    """The formula of the module docstring: the candidate's score."""
    total = WEIGHTS["text"] * c.text if profile.query else 0.0
    if profile.sector and profile.sector in c.sectors:
        total += WEIGHTS["sector"]
    total += _size_points(profile, c.sizes)
    if profile.topics:
        total += WEIGHTS["topic"] * sum(1 for t in c.topics if t in profile.topics)
    if profile.state and c.centre_state == profile.state:
        total += WEIGHTS["state"]
    for item in evidence_items(c, profile):
        total += (
            sector_similarity(profile.sector, item.sector)
            * size_similarity(profile.size, item.size, profile.size_order)
            * VALUE[item.result]
        )
    return round(total, 4)


def _size_points(profile: Profile, sizes: list[str]) -> float:
    size = profile.size
    if not size:
        return 0.0
    if size in sizes:
        return WEIGHTS["size"]
    if any(size_similarity(size, s, profile.size_order) == 0.6 for s in sizes):
        return WEIGHTS["neighbour_size"]
    return 0.0


def score(c: Candidate, profile: Profile) -> Ranked:
    """The candidate's points with the reasons behind them and its evidence counts."""
    reasons: list[dict[str, object]] = []
    if profile.query and c.text > 0:
        reasons.append({"code": "text_match"})
    if profile.sector and profile.sector in c.sectors:
        reasons.append({"code": "same_sector", "sector": profile.sector})
    size_points = _size_points(profile, c.sizes)
    if size_points == WEIGHTS["size"]:
        reasons.append({"code": "same_size", "size": profile.size})
    elif size_points:
        reasons.append({"code": "neighbouring_size", "size": profile.size})
    shared = [t for t in c.topics if t in profile.topics]
    if shared:
        reasons.append({"code": "topic", "topics": shared})
    if profile.state and c.centre_state == profile.state:
        reasons.append({"code": "same_state", "state": profile.state})
    counts = evidence_counts(c, profile)
    worked_here = counts["same_sector"]["worked"]
    if profile.sector and worked_here:
        reasons.append({"code": "worked_in_sector", "sector": profile.sector, "count": worked_here})
    failed_sectors = sorted({i.sector for i in evidence_items(c, profile) if i.result == "failed"})
    warning = bool(profile.sector and counts["same_sector"]["failed"]) or (
        c.kind == "lesson-learned" and c.outcome == "failed"
    )
    return Ranked(c, points(c, profile), reasons, counts, warning, failed_sectors)
