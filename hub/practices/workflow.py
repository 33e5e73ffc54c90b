"""The review workflow: draft → review → published (or back to draft) → archived (and back).

Every step checks the actor's rights, records a ``StatusChange`` (who, when, from, to, comment)
and emits ``practice_status_changed`` (``hub.events``). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from hub import events
from hub.auth.permissions import Action, can, is_practice_insider, is_privileged, require
from hub.extensions import db
from hub.models import Practice, Revision, StatusChange, User
from hub.visibility import visible_clause
from hub.vocabulary import Role, Status


class Transition(StrEnum):
    SUBMIT = "submit"  # draft → review (authors, their centre)
    WITHDRAW = "withdraw"  # review → draft (authors, their centre)
    APPROVE = "approve"  # review → published (coordinators)
    SEND_BACK = "send-back"  # review → draft, with a comment (coordinators)
    ARCHIVE = "archive"  # draft/review/published → archived
    UNARCHIVE = "unarchive"  # archived → published if it was when archived, else draft


@dataclass(frozen=True)
class Step:
    sources: tuple[Status, ...]
    action: Action
    comment_required: bool = False


STEPS: dict[Transition, Step] = {
    Transition.SUBMIT: Step((Status.DRAFT,), Action.SUBMIT_PRACTICE),
    Transition.WITHDRAW: Step((Status.REVIEW,), Action.SUBMIT_PRACTICE),
    Transition.APPROVE: Step((Status.REVIEW,), Action.REVIEW_PRACTICE),
    Transition.SEND_BACK: Step((Status.REVIEW,), Action.REVIEW_PRACTICE, comment_required=True),
    Transition.ARCHIVE: Step((Status.DRAFT, Status.REVIEW, Status.PUBLISHED), Action.ARCHIVE_PRACTICE),
    Transition.UNARCHIVE: Step((Status.ARCHIVED,), Action.ARCHIVE_PRACTICE),
}


class InvalidTransition(ValueError):
    """The step does not start from the practice's current status, or lacks its comment."""


def available_transitions(user: Any, practice: Practice) -> list[Transition]:
    """The steps ``user`` may take on ``practice`` now (for buttons; ``transition`` enforces)."""
    return [
        t for t, step in STEPS.items() if practice.status in step.sources and can(user, step.action, practice)
    ]


def transition(
    actor: User, practice: Practice, step_name: Transition | str, comment: str = ""
) -> StatusChange:
    step_name = Transition(step_name)
    step = STEPS[step_name]
    require(actor, step.action, practice)
    if practice.status not in step.sources:
        raise InvalidTransition(f"{step_name} not possible from {practice.status}")
    comment = comment.strip()
    if step.comment_required and not comment:
        raise InvalidTransition(f"{step_name} needs a comment")
    before = practice.status
    practice.status = _target(step_name, practice)
    if practice.status == Status.PUBLISHED:
        today = date.today()
        if practice.published is None:
            practice.published = today
        if step_name == Transition.APPROVE or practice.review_due is None:
            practice.review_due = next_review_date(today)
    change = StatusChange(practice=practice, actor=actor, from_status=before, to_status=practice.status)
    change.comment = comment
    db.session.add(change)
    events.emit(events.practice_status_changed, practice, actor=actor, before=before, after=practice.status)
    return change


def confirm_still_valid(actor: User, practice: Practice, comment: str = "") -> StatusChange:
    """An author or coordinator checked the practice: the next review is due in a full interval."""
    require(actor, Action.EDIT_PRACTICE, practice)
    if practice.status != Status.PUBLISHED:
        raise InvalidTransition("only published practices have a review date")
    practice.review_due = next_review_date(date.today())
    change = StatusChange(
        practice=practice, actor=actor, from_status=practice.status, to_status=practice.status
    )
    change.comment = comment.strip()
    db.session.add(change)
    return change


def next_review_date(start: date) -> date:
    """``start`` plus REVIEW_INTERVAL_MONTHS (the last day of a shorter month when needed)."""
    months = int(current_app.config["REVIEW_INTERVAL_MONTHS"])
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def status_changes(practice: Practice) -> list[StatusChange]:
    return list(
        db.session.scalars(
            sa.select(StatusChange)
            .where(StatusChange.practice_id == practice.id)
            .order_by(StatusChange.at.desc(), StatusChange.id.desc())
            .options(selectinload(StatusChange.actor))
        )
    )


def review_feedback(user: Any, practice: Practice) -> StatusChange | None:
    """The comment a draft was sent back with, for the people who may act on it."""
    if practice.status != Status.DRAFT or not is_practice_insider(user, practice):
        return None
    last = db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.practice_id == practice.id)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        .limit(1)
    ).first()
    if last is None or last.from_status != Status.REVIEW or not last.comment:
        return None
    return last


def review_queue() -> list[Practice]:
    """The review queue — practices waiting for a coordinator, oldest submission first (``/review``
    and the dashboard)."""
    return list(
        db.session.scalars(
            sa.select(Practice)
            .where(Practice.status == Status.REVIEW)
            .order_by(Practice.modified_at)
            .options(selectinload(Practice.centre), selectinload(Practice.authors))
        )
    )


def overdue_clause(today: date | None = None) -> sa.ColumnElement[bool]:
    """What "overdue" means, everywhere: a published practice whose review date lies in the past
    (README: "past their review date"; CONTENT-FORMAT.md: "a review_due in the past … is overdue").
    On the due date itself it is due, not yet overdue."""
    today = today or date.today()
    return sa.and_(
        Practice.status == Status.PUBLISHED, Practice.review_due.is_not(None), Practice.review_due < today
    )


def overdue_everywhere(today: date | None = None) -> list[Practice]:
    """Every overdue practice of the network (the dashboard), longest overdue first."""
    stmt = sa.select(Practice).where(overdue_clause(today)).options(selectinload(Practice.centre))
    return list(db.session.scalars(stmt.order_by(Practice.review_due, Practice.title)))


def recent_changes(limit: int = 30) -> list[Revision]:
    """Edits to published practices (after their first version), newest first, for coordinators."""
    return list(
        db.session.scalars(
            sa.select(Revision)
            .join(Practice, Practice.id == Revision.practice_id)
            .where(Practice.status == Status.PUBLISHED, Revision.number > 1, Revision.author_id.is_not(None))
            .order_by(Revision.created_at.desc(), Revision.id.desc())
            .limit(limit)
            .options(selectinload(Revision.practice), selectinload(Revision.author))
        )
    )


def overdue(user: Any, today: date | None = None) -> list[Practice]:
    """Published practices whose review date has passed that ``user`` looks after: everything for
    coordinators and admins, their own and their centre's for contributors."""
    stmt = sa.select(Practice).where(overdue_clause(today))
    if not is_privileged(user):
        if user.role != Role.CONTRIBUTOR:
            return []
        stmt = stmt.where(visible_clause(user)).where(
            sa.or_(Practice.authors.any(User.id == user.id), Practice.centre_id == user.centre_id)
        )
    return list(db.session.scalars(stmt.order_by(Practice.review_due, Practice.title)))


def _target(step_name: Transition, practice: Practice) -> Status:
    if step_name == Transition.SUBMIT:
        return Status.REVIEW
    if step_name in (Transition.WITHDRAW, Transition.SEND_BACK):
        return Status.DRAFT
    if step_name == Transition.APPROVE:
        return Status.PUBLISHED
    if step_name == Transition.ARCHIVE:
        return Status.ARCHIVED
    return Status.PUBLISHED if _was_published(practice) else Status.DRAFT


def _was_published(practice: Practice) -> bool:
    """Whether the archived practice was published when it was archived: what the last archiving
    step recorded; archived by an import (no step recorded), whether the import gave it a
    ``published`` date. A draft with a date never becomes public by archiving and unarchiving."""
    archived = db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.practice_id == practice.id, StatusChange.to_status == Status.ARCHIVED)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        .limit(1)
    ).first()
    if archived is not None:
        return archived.from_status == Status.PUBLISHED
    return practice.published is not None
