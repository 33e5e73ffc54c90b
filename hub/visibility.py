"""The one place that decides which practices a user may see.

Every list, count, detail page, backlink, ``[[link]]``, collection and taxonomy page goes through
``visible_clause`` (SQL) or ``can_view`` (Python, same rule):

- anonymous visitors: published (and archived) public practices;
- logged-in members: also published (and archived) internal ones;
- drafts and practices in review: only their authors, contributors of the owning centre,
  coordinators and admins.

Archived practices stay reachable by URL but are left out of lists unless asked for explicitly.

Within a practice one may see, what happened before publication stays with the people who may see
its drafts (``sees_drafts``): everyone else sees only its published revisions (``published_revisions``),
workflow steps without their review comments, and no related practice they may not see themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
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


def sees_drafts(user: Any, practice: Practice) -> bool:
    """Whether ``user`` sees the practice's drafts: every revision, review comments, the whole workflow."""
    return is_practice_insider(user, practice)


def published_revisions(
    revisions: Sequence[tuple[int, datetime, str]], changes: Sequence[tuple[datetime, Status]]
) -> set[int]:
    """Numbers of the revisions that were public: current while the practice was published (or archived).

    ``revisions`` are (number, saved at, status saved with) in order, ``changes`` the workflow steps
    (at, to status) in order. A revision is public when it was saved in an open status, or when a
    step into an open status happened while it was the current one (the draft a coordinator approved).
    """
    public: set[int] = set()
    step = 0
    for position, (number, saved_at, status) in enumerate(revisions):
        until = revisions[position + 1][1] if position + 1 < len(revisions) else None
        opened = status in {s.value for s in OPEN_STATUSES}
        while step < len(changes) and changes[step][0] < saved_at:
            step += 1
        while step < len(changes) and (until is None or changes[step][0] < until):
            opened = opened or changes[step][1] in OPEN_STATUSES
            step += 1
        if opened:
            public.add(number)
    return public


def workflow_step_public(from_status: Status, to_status: Status) -> bool:
    """Steps everyone may see: into, out of and within the open statuses (not draft ↔ review)."""
    return from_status in OPEN_STATUSES or to_status in OPEN_STATUSES


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
