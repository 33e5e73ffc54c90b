"""Every change to a collection: create, edit, add/remove/move practices, delete.

Permissions are checked here: coordinators and admins curate every collection, contributors
those of their own centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from hub import events
from hub.auth.permissions import Action, PermissionDenied, is_privileged, require
from hub.extensions import db
from hub.models import AuditEvent, Centre, Collection, CollectionItem, Practice, User
from hub.saved_searches.criteria import SavedSearch, Vocabulary
from hub.vocabulary import Visibility


class CollectionError(ValueError):
    """A change that cannot be made (duplicate slug, practice already in it …); the message says why."""


class InvalidSavedSearch(CollectionError):
    """A saved search with values outside the vocabulary; ``problems`` maps filter name → what."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {what}" for name, what in problems.items()))
        self.problems = problems


@dataclass
class CollectionData:
    title: str
    slug: str
    visibility: str
    intro: str = ""
    centre: str | None = None  # centre slug; defaults to the actor's centre


def create_collection(actor: User, data: CollectionData) -> Collection:
    centre = _centre(data.centre) if data.centre else actor.centre
    if centre is None and not is_privileged(actor):
        raise PermissionDenied(Action.MANAGE_COLLECTIONS)
    require(actor, Action.MANAGE_COLLECTIONS, centre)
    if db.session.scalars(sa.select(Collection.id).where(Collection.slug == data.slug)).first():
        raise CollectionError(f"slug {data.slug!r} is taken")
    collection = Collection(
        slug=data.slug,
        title=data.title,
        visibility=Visibility(data.visibility),
        intro=data.intro,
        curator=actor,
        centre=centre,
    )
    db.session.add(collection)
    _audit(actor, "collection-create", collection)
    return collection


def update_collection(actor: User, collection: Collection, data: CollectionData) -> Collection:
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    clash = db.session.scalars(
        sa.select(Collection.id).where(Collection.slug == data.slug, Collection.id != collection.id)
    ).first()
    if clash:
        raise CollectionError(f"slug {data.slug!r} is taken")
    if data.centre and (collection.centre is None or data.centre != collection.centre.slug):
        centre = _centre(data.centre)
        require(actor, Action.MANAGE_COLLECTIONS, centre)
        collection.centre = centre
    collection.slug, collection.title, collection.intro = data.slug, data.title, data.intro
    collection.visibility = Visibility(data.visibility)
    _audit(actor, "collection-update", collection)
    return collection


def set_saved_search(actor: User, collection: Collection, saved: SavedSearch | None) -> None:
    """Give the collection a saved search (its matches are appended to the page), or remove it."""
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    if saved is not None and saved.empty:
        saved = None
    if saved is not None:
        problems = Vocabulary.of_hub().problems(saved)
        if problems:
            raise InvalidSavedSearch(problems)
    before = SavedSearch.stored(collection.search_query, collection.search_filters)
    if before == saved:
        return
    collection.search_query = saved.q if saved is not None else None
    collection.search_filters = saved.filters if saved is not None else None
    _audit(actor, "collection-search", collection, search=saved.key() if saved is not None else None)


def add_practice(actor: User, collection: Collection, practice: Practice) -> None:
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    if any(item.practice_id == practice.id for item in collection.items):
        raise CollectionError("already in the collection")
    position = max((item.position for item in collection.items), default=-1) + 1
    collection.items.append(CollectionItem(practice_id=practice.id, position=position))
    _audit(actor, "collection-add", collection, practice=practice.slug)


def remove_practice(actor: User, collection: Collection, practice_id: int) -> None:
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    item = _item(collection, practice_id)
    collection.items.remove(item)
    _renumber(collection)
    _audit(actor, "collection-remove", collection, practice_id=practice_id)


def move_practice(actor: User, collection: Collection, practice_id: int, offset: int) -> None:
    """Move a practice ``offset`` places (−1 up, +1 down) within the curated order."""
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    items = sorted(collection.items, key=lambda i: i.position)
    index = items.index(_item(collection, practice_id))
    new_index = min(max(index + offset, 0), len(items) - 1)
    items.insert(new_index, items.pop(index))
    for position, item in enumerate(items):
        item.position = position


def place_practice(actor: User, collection: Collection, practice_id: int, before_id: int | None) -> None:
    """Put a practice just before another one (``None``: at the end) — what drag and drop does."""
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    items = sorted(collection.items, key=lambda i: i.position)
    moving = _item(collection, practice_id)
    items.remove(moving)
    index = items.index(_item(collection, before_id)) if before_id is not None else len(items)
    items.insert(index, moving)
    for position, item in enumerate(items):
        item.position = position


def delete_collection(actor: User, collection: Collection) -> None:
    require(actor, Action.MANAGE_COLLECTIONS, collection)
    _audit(actor, "collection-delete", collection, title=collection.title)
    db.session.delete(collection)


def _item(collection: Collection, practice_id: int) -> CollectionItem:
    for item in collection.items:
        if item.practice_id == practice_id:
            return item
    raise CollectionError("not in the collection")


def _renumber(collection: Collection) -> None:
    for position, item in enumerate(sorted(collection.items, key=lambda i: i.position)):
        item.position = position


def _centre(slug: str) -> Centre:
    centre = db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none()
    if centre is None:
        raise CollectionError(f"unknown centre {slug!r}")
    return centre


def _audit(actor: User, action: str, collection: Collection, **details: Any) -> None:
    events.emit(events.collection_changed, collection, actor=actor, action=action, slug=collection.slug)
    db.session.add(
        AuditEvent(
            actor=actor, action=action, object_type="collection", object_key=collection.slug, details=details
        )
    )
