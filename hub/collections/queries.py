"""Collections as a reader sees them: only visible collections, only visible practices inside."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from hub.auth.permissions import is_member
from hub.extensions import db
from hub.models import Collection, CollectionItem, Practice
from hub.practices.queries import LIST_OPTIONS
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.results import Matches, matching_practices
from hub.visibility import listed_clause, visible_clause
from hub.vocabulary import Visibility


def collection_visible_clause(user: Any) -> ColumnElement[bool]:
    return sa.true() if is_member(user) else Collection.visibility == Visibility.PUBLIC


def visible_collections(user: Any) -> list[Collection]:
    stmt = sa.select(Collection).where(collection_visible_clause(user)).order_by(Collection.title)
    return list(db.session.scalars(stmt))


def get_collection(user: Any, slug: str) -> Collection | None:
    stmt = sa.select(Collection).where(Collection.slug == slug, collection_visible_clause(user))
    return db.session.scalars(stmt).one_or_none()


def collection_practices(user: Any, collection: Collection, *, curating: bool = False) -> list[Practice]:
    """The collection's practices in curated order, without those the user may not see.

    Readers get the published ones; curators (``curating``) also drafts and archived ones they may see.
    """
    shown = visible_clause(user) if curating else listed_clause(user)
    stmt = (
        sa.select(Practice)
        .join(CollectionItem, CollectionItem.practice_id == Practice.id)
        .where(CollectionItem.collection_id == collection.id, shown)
        .order_by(CollectionItem.position)
        .options(*LIST_OPTIONS)
    )
    return list(db.session.scalars(stmt))


def saved_search(collection: Collection) -> SavedSearch | None:
    return SavedSearch.stored(collection.search_query, collection.search_filters)


def appended_practices(user: Any, collection: Collection, curated: list[Practice]) -> Matches | None:
    """The saved search's matches the user may see, newest first, without the curated ones
    (at most ``APPENDED_LIMIT``); ``None`` when the collection has no saved search."""
    saved = saved_search(collection)
    if saved is None:
        return None
    return matching_practices(user, saved, exclude={p.id for p in curated})


def practice_counts(user: Any) -> dict[int, int]:
    """Visible practices per collection, for list pages."""
    stmt = (
        sa.select(CollectionItem.collection_id, sa.func.count())
        .join(Practice, Practice.id == CollectionItem.practice_id)
        .where(listed_clause(user))
        .group_by(CollectionItem.collection_id)
    )
    return dict(db.session.execute(stmt).tuples().all())


def collections_containing(user: Any, practice: Practice) -> list[Collection]:
    """The collections a practice is in, as far as the user may see them."""
    stmt = (
        sa.select(Collection)
        .join(CollectionItem, CollectionItem.collection_id == Collection.id)
        .where(CollectionItem.practice_id == practice.id, collection_visible_clause(user))
        .order_by(Collection.title)
    )
    return list(db.session.scalars(stmt))
