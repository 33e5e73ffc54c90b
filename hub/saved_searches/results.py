"""Running a saved search for a reader: the published practices they may see, newest first.

The search service filters by the reader's visibility (``search_service().find`` as the user);
the practices are then loaded from the database with the listing rule applied once more.
"""

from __future__ import annotations

from collections.abc import Collection as Container
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Practice
from hub.practices.queries import LIST_OPTIONS
from hub.saved_searches.criteria import SavedSearch
from hub.search import search_service
from hub.visibility import listed_clause

APPENDED_LIMIT = 50  # at most this many practices are appended to a collection or put in a feed


@dataclass
class Matches:
    practices: list[Practice] = field(default_factory=list)
    total: int = 0  # the matches the reader may see, without the excluded ones

    @property
    def truncated(self) -> bool:
        return self.total > len(self.practices)


def matching_practices(
    user: Any, saved: SavedSearch, *, exclude: Container[int] = (), limit: int = APPENDED_LIMIT
) -> Matches:
    """Up to ``limit`` published practices matching ``saved`` that ``user`` may see, newest first,
    leaving out the ids in ``exclude`` (a collection's curated practices)."""
    request = saved.request(per_page=limit + len(exclude), sort="newest")
    result = search_service().find(user, request)
    slugs = [hit.card["slug"] for hit in result.hits]
    if not slugs:
        return Matches(total=result.total)
    stmt = sa.select(Practice).where(Practice.slug.in_(slugs), listed_clause(user)).options(*LIST_OPTIONS)
    by_slug = {p.slug: p for p in db.session.scalars(stmt)}
    found = [by_slug[s] for s in slugs if s in by_slug]
    ordered = [p for p in found if p.id not in exclude]
    # Excluded ones beyond this page are counted as new; then the page holds > limit new ones anyway.
    return Matches(practices=ordered[:limit], total=result.total - (len(found) - len(ordered)))
