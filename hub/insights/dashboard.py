"""The coordinators' picture of the network, from independent, plain SQL counts.

Every figure counts *published* practices (archived ones are history, drafts are not knowledge
yet), narrowed by the filters: centre, federal state and a range of publication dates.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.models import (
    Centre,
    ExperienceReport,
    Practice,
    SearchLogEntry,
    Topic,
    practice_sectors,
    practice_topics,
)
from hub.models._types import utcnow
from hub.vocabulary import Status, stored


@dataclass(frozen=True)
class Filters:
    centre: str | None = None
    state: str | None = None
    start: date | None = None
    end: date | None = None

    def where(self) -> list[Any]:
        clauses: list[Any] = [Practice.status == Status.PUBLISHED]
        if self.centre:
            clauses.append(Practice.centre.has(Centre.slug == self.centre))
        if self.state:
            clauses.append(Practice.centre.has(Centre.state == self.state))
        if self.start:
            clauses.append(Practice.published >= self.start)
        if self.end:
            clauses.append(Practice.published <= self.end)
        return clauses


centres, sectors, topics = stored.centres, stored.sectors, stored.topics  # the vocabularies in order


def coverage_centre_sector(f: Filters) -> dict[str, dict[str, int]]:
    """centre slug → sector code → number of published practices."""
    stmt = (
        sa.select(Centre.slug, practice_sectors.c.sector_code, sa.func.count(sa.distinct(Practice.id)))
        .select_from(Practice)
        .join(Centre, Centre.id == Practice.centre_id)
        .join(practice_sectors, practice_sectors.c.practice_id == Practice.id)
        .where(*f.where())
        .group_by(Centre.slug, practice_sectors.c.sector_code)
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for centre, sector, count in db.session.execute(stmt):
        result[centre][sector] = count
    return result


def coverage_topic_sector(f: Filters) -> dict[str, dict[str, int]]:
    """topic slug → sector code → number of published practices (missing pairs are gaps)."""
    stmt = (
        sa.select(Topic.slug, practice_sectors.c.sector_code, sa.func.count(sa.distinct(Practice.id)))
        .select_from(Practice)
        .join(practice_topics, practice_topics.c.practice_id == Practice.id)
        .join(Topic, Topic.id == practice_topics.c.topic_id)
        .join(practice_sectors, practice_sectors.c.practice_id == Practice.id)
        .where(*f.where())
        .group_by(Topic.slug, practice_sectors.c.sector_code)
    )
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for topic, sector, count in db.session.execute(stmt):
        result[topic][sector] = count
    return result


def publications_per_quarter(f: Filters) -> tuple[list[str], dict[str, dict[str, int]]]:
    """(quarters in order, centre slug → quarter → practices first published then)."""
    rows = db.session.execute(
        sa.select(Centre.slug, Practice.published)
        .join(Centre, Centre.id == Practice.centre_id)
        .where(*f.where(), Practice.published.is_not(None))
    ).all()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for centre, published in rows:
        table[centre][f"{published.year}-Q{(published.month - 1) // 3 + 1}"] += 1
    quarters = sorted({q for counts in table.values() for q in counts})
    return quarters, {centre: dict(counts) for centre, counts in table.items()}


def outcome_distribution(f: Filters) -> dict[str, dict[str, int]]:
    """Own outcomes of published practices, and the results of experience reports on them."""
    own = Counter(
        {
            (r.value if r else "none"): n
            for r, n in db.session.execute(
                sa.select(Practice.outcome_result, sa.func.count())
                .where(*f.where())
                .group_by(Practice.outcome_result)
            )
        }
    )
    reports = Counter(
        {
            r.value: n
            for r, n in db.session.execute(
                sa.select(ExperienceReport.result, sa.func.count())
                .join(Practice, Practice.id == ExperienceReport.practice_id)
                .where(*f.where())
                .group_by(ExperienceReport.result)
            )
        }
    )
    keys = ("worked", "partly", "failed")
    return {
        "own": {k: own.get(k, 0) for k in (*keys, "none")},
        "reports": {k: reports.get(k, 0) for k in keys},
    }


def most_reused(f: Filters, limit: int = 10) -> list[tuple[Practice, int]]:
    count = sa.func.count(ExperienceReport.id)
    stmt = (
        sa.select(Practice, count)
        .join(ExperienceReport, ExperienceReport.practice_id == Practice.id)
        .where(*f.where())
        .group_by(Practice.id)
        .order_by(count.desc(), Practice.title)
        .limit(limit)
    )
    return [(p, n) for p, n in db.session.execute(stmt)]


def searches(days: int, *, zero_only: bool, limit: int = 15) -> list[tuple[str, int, int]]:
    """(query, times searched, results last time) of the last ``days`` days, most frequent first.

    ``zero_only``: the searches that found nothing — the network's content gaps. The search log holds
    no user, address or session, so these figures cannot point at anyone.
    """
    since = utcnow() - timedelta(days=days)
    times = sa.func.count(SearchLogEntry.id)
    stmt = (
        sa.select(SearchLogEntry.query, times, sa.func.min(SearchLogEntry.results))
        .where(SearchLogEntry.at >= since, SearchLogEntry.query != "")
        .group_by(SearchLogEntry.query)
        .order_by(times.desc(), SearchLogEntry.query)
        .limit(limit)
    )
    if zero_only:
        stmt = stmt.having(sa.func.max(SearchLogEntry.results) == 0)
    return [(query, count, fewest) for query, count, fewest in db.session.execute(stmt)]
