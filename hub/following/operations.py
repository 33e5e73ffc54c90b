"""Watching and notifying. Notifications respect visibility when they are made, shown and mailed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hub.auth.permissions import Action, is_member, require
from hub.extensions import db
from hub.models import CollectionItem, Notification, Practice, User, Watch, WatchTarget
from hub.models._types import utcnow
from hub.practices.visibility import can_view
from hub.vocabulary import Status

DIGEST_CHOICES = ("none", "daily", "weekly")


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


def notify_watchers(practice: Practice, reason: str, actor: User | None = None) -> int:
    """Tell everyone watching the practice, its tags, sectors, topics or collections; returns how many.

    Only published practices notify, and only users who may see the practice now.
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
    count = 0
    for user in db.session.scalars(sa.select(User).where(User.id.in_(because), User.active.is_(True))):
        if actor is not None and user.id == actor.id:
            continue
        if can_view(user, practice):
            db.session.add(
                Notification(user=user, practice=practice, reason=reason, because=because[user.id])
            )
            count += 1
    return count


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
