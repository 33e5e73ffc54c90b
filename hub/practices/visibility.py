"""The one place that decides which practices a user may see.

Every list, count, detail page, backlink, ``[[link]]``, collection and taxonomy page goes through
``visible_clause`` (SQL) or ``can_view`` (Python, same rule):

- anonymous visitors: published (and archived) public practices;
- logged-in members: also published (and archived) internal ones;
- drafts and practices in review: only their authors, contributors of the owning centre,
  coordinators and admins.

Archived practices stay reachable by URL but are left out of lists unless asked for explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from hub.auth.permissions import is_member, is_practice_insider, is_privileged
from hub.models import Practice, User
from hub.vocabulary import Role, Status, Visibility

OPEN_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)


def visible_clause(user: Any) -> ColumnElement[bool]:
    """SQL condition: the practices ``user`` may open."""
    opened = Practice.status.in_(OPEN_STATUSES)
    if not is_member(user):
        return sa.and_(opened, Practice.visibility == Visibility.PUBLIC)
    if is_privileged(user):
        return sa.true()
    insider = Practice.authors.any(User.id == user.id)
    if user.role == Role.CONTRIBUTOR and user.centre_id is not None:
        insider = sa.or_(insider, Practice.centre_id == user.centre_id)
    return sa.or_(opened, insider)


def listed_clause(user: Any, statuses: tuple[Status, ...] = (Status.PUBLISHED,)) -> ColumnElement[bool]:
    """SQL condition: what lists, counts and feeds show — visible and (by default) published."""
    return sa.and_(visible_clause(user), Practice.status.in_(statuses))


def can_view(user: Any, practice: Practice) -> bool:
    """Python twin of ``visible_clause`` for a loaded practice."""
    if practice.status in OPEN_STATUSES and (practice.visibility == Visibility.PUBLIC or is_member(user)):
        return True
    return is_practice_insider(user, practice)


def listable_statuses(user: Any) -> tuple[Status, ...]:
    """Statuses a user may explicitly ask lists for (archived: members; drafts: insiders)."""
    if not is_member(user):
        return (Status.PUBLISHED,)
    if is_privileged(user) or user.role == Role.CONTRIBUTOR:
        return tuple(Status)
    return (Status.PUBLISHED, Status.ARCHIVED)


def listed_statuses(user: Any, requested: Iterable[str] = ()) -> tuple[Status, ...]:
    """The statuses a list shows: those asked for that ``user`` may list, else published only."""
    wanted = set(requested)
    return tuple(s for s in listable_statuses(user) if s.value in wanted) or (Status.PUBLISHED,)
