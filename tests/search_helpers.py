"""Helpers for the search tests: search as a user, write practices through the operations."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Practice, User
from hub.practices.operations import create_practice, practice_data, update_practice
from hub.search.searching import SearchRequest, SearchResult, search
from hub.search.sync import get_index


def user(username: str | None) -> User | None:
    if username is None:
        return None
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def run(query: str = "", username: str | None = None, **options: Any) -> SearchResult:
    return search(get_index(), db.session, user(username), SearchRequest(q=query, **options))


def slugs(result: SearchResult) -> list[str]:
    return [hit.card["slug"] for hit in result.hits]


def practice(slug: str) -> Practice:
    return db.session.scalars(sa.select(Practice).where(Practice.slug == slug)).one()


def copy_practice(source_slug: str, slug: str, title: str, **changes: Any) -> Practice:
    """A new practice like ``source_slug`` (created through the operations, not committed)."""
    data = replace(practice_data(practice(source_slug)), slug=slug, title=title, related=[], experiences=[])
    return create_practice(None, replace(data, **changes))


def retitle(slug: str, title: str, **changes: Any) -> None:
    target = practice(slug)
    update_practice(None, target, replace(practice_data(target), title=title, **changes))
