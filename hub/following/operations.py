"""Watching and notifying. Notifications respect visibility when they are made, shown and mailed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hub import events
from hub.auth.permissions import Action, is_member, require
from hub.extensions import db
from hub.models import Collection, CollectionItem, Notification, Practice, User, Watch, WatchTarget
from hub.models._types import utcnow
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.probe import PracticeProbe
from hub.visibility import can_view
from hub.vocabulary import Status

DIGEST_CHOICES = ("none", "daily", "weekly")
BECAUSE_LENGTH = 200  # Notification.because


def watch(user: User, target: WatchTarget, key: str) -> Watch:
    _require_member(user)
    existing = _find(user, target, key)
    if existing is not None:
        return existing
    item = Watch(user=user, target=target, key=key)
    db.session.add(item)
    return item


def unwatch(user: User, target: WatchTarget, key: str) -> None:
    _require_member(user)
    existing = _find(user, target, key)
    if existing is not None:
        db.session.delete(existing)


def is_watching(user: Any, target: WatchTarget, key: str) -> bool:
    return is_member(user) and _find(user, target, key) is not None


def set_digest(user: User, frequency: str) -> None:
    _require_member(user)
    if frequency not in DIGEST_CHOICES:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    user.digest = frequency


def subscribe() -> None:
    """Notify watchers of what the practice events (``hub.events``) announce, after the commit."""
    events.practice_saved.connect(_on_practice_saved)
    events.practices_imported.connect(_on_practices_imported)
    events.practice_status_changed.connect(_on_status_changed)


def _on_practice_saved(practice: Practice, *, actor: User | None, was_published: bool, **_: Any) -> None:
    notify_watchers(practice, "updated" if was_published else "published", actor)


IMPORT_NOTIFY_BATCH = 500  # practices of an import loaded at a time to notify their watchers


def _on_practices_imported(_sender: Any, *, saved: list[tuple[int, bool]], **_: Any) -> None:
    """Each practice an import saved notifies as if saved on its own — when anyone watches anything
    at all (one query; a new hub being filled has no watchers, and the import then costs nothing here)."""
    if db.session.scalar(sa.select(Watch.id).limit(1)) is None:
        return
    for start in range(0, len(saved), IMPORT_NOTIFY_BATCH):
        batch = dict(saved[start : start + IMPORT_NOTIFY_BATCH])
        order = {practice_id: position for position, practice_id in enumerate(batch)}
        practices = db.session.scalars(sa.select(Practice).where(Practice.id.in_(batch))).all()
        for practice in sorted(practices, key=lambda practice: order[practice.id]):
            _on_practice_saved(practice, actor=None, was_published=batch[practice.id])
        db.session.flush()


def _on_status_changed(practice: Practice, *, actor: User, after: Status, **_: Any) -> None:
    if after == Status.PUBLISHED:
        notify_watchers(practice, "published", actor)


def notify_watchers(practice: Practice, reason: str, actor: User | None = None) -> int:
    """Tell everyone watching the practice, its tags, sectors, topics or collections — or a saved search
    it matches — returns how many.

    Only published practices notify, and only users who may see the practice now. Saved searches (a
    followed search, or the saved search of a followed collection) are matched per watcher, as that
    watcher would search (``hub.saved_searches.probe``). Runs after the commit of the change (a
    receiver of ``hub.events``), so it sees — and probes — committed data only.
    """
    if practice.status != Status.PUBLISHED:
        return 0
    collection_ids = db.session.scalars(
        sa.select(CollectionItem.collection_id).where(CollectionItem.practice_id == practice.id)
    ).all()
    keys = {
        WatchTarget.PRACTICE: [str(practice.id)],
        WatchTarget.TAG: [t.name for t in practice.tags],
        WatchTarget.SECTOR: [s.code for s in practice.sectors],
        WatchTarget.TOPIC: [t.slug for t in practice.topics],
        WatchTarget.COLLECTION: [str(i) for i in collection_ids],
    }
    matches = sa.or_(
        *(sa.and_(Watch.target == target, Watch.key.in_(values)) for target, values in keys.items() if values)
    )
    because: dict[int, str] = {}
    for item in db.session.scalars(sa.select(Watch).where(matches).order_by(Watch.id)):
        because.setdefault(item.user_id, f"{item.target.value}:{item.key}")
    searches = _saved_search_watches(set(collection_ids))
    watchers = set(because) | {user_id for user_id, _, _ in searches}
    count = 0
    with PracticeProbe(practice) as probe:
        for user in db.session.scalars(sa.select(User).where(User.id.in_(watchers), User.active.is_(True))):
            if actor is not None and user.id == actor.id:
                continue
            if not can_view(user, practice):
                continue
            why = because.get(user.id) or _matching_search(probe, user, searches)
            if why:
                db.session.add(Notification(user=user, practice=practice, reason=reason, because=why))
                count += 1
    return count


SavedSearchWatch = tuple[int, str, SavedSearch]  # (user id, because, the saved search)


def _saved_search_watches(curated_in: set[int]) -> list[SavedSearchWatch]:
    """Followed searches, and followed collections with a saved search (not already curating it)."""
    found: list[SavedSearchWatch] = []
    followed = sa.select(Watch).where(Watch.target == WatchTarget.SEARCH).order_by(Watch.id)
    for item in db.session.scalars(followed):
        saved = SavedSearch.from_key(item.key)
        if not saved.empty:
            found.append((item.user_id, f"search:{item.key}"[:BECAUSE_LENGTH], saved))
    stmt = (
        sa.select(Watch, Collection)
        .join(Collection, Watch.key == sa.cast(Collection.id, sa.String))
        .where(Watch.target == WatchTarget.COLLECTION, Collection.search_query.is_not(None))
        .order_by(Watch.id)
    )
    for item, collection in db.session.execute(stmt).all():
        stored = SavedSearch.stored(collection.search_query, collection.search_filters)
        if stored is not None and collection.id not in curated_in:
            found.append((item.user_id, f"collection:{collection.id}", stored))
    return found


def _matching_search(probe: PracticeProbe, user: User, searches: list[SavedSearchWatch]) -> str | None:
    for user_id, why, saved in searches:
        if user_id == user.id and probe.matches(user, saved):
            return why
    return None


def visible_notifications(user: User, *, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    """The user's notifications about practices they may (still) see, newest first."""
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return [n for n in db.session.scalars(stmt) if can_view(user, n.practice)]


def unread_count(user: Any) -> int:
    if not is_member(user):
        return 0
    return len(visible_notifications(user, unread_only=True))


def mark_read(user: User, notification_id: int | None = None) -> None:
    stmt = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=utcnow()))


def _find(user: User, target: WatchTarget, key: str) -> Watch | None:
    return db.session.scalars(
        sa.select(Watch).where(Watch.user_id == user.id, Watch.target == target, Watch.key == key)
    ).one_or_none()


def _require_member(user: Any) -> None:
    require(user, Action.FOLLOW)
