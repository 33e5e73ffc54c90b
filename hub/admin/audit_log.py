"""Reading the audit log: filter by actor, action and date; a page of it, or all of it as CSV rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub.extensions import db
from hub.models import AuditEvent, User

CSV_HEADER = ("time (UTC)", "actor", "action", "object type", "object", "details")
COMMAND_LINE = "-"  # the actor filter value for changes made on the command line (no actor)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # a user name, COMMAND_LINE, or "" for everyone
    action: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    def statement(self) -> sa.Select[tuple[AuditEvent]]:
        stmt = sa.select(AuditEvent).options(joinedload(AuditEvent.actor))
        if self.actor == COMMAND_LINE:
            stmt = stmt.where(AuditEvent.actor_id.is_(None))
        elif self.actor:
            stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(User.username == self.actor.strip())
        if self.action:
            stmt = stmt.where(AuditEvent.action == self.action)
        if self.since:
            stmt = stmt.where(AuditEvent.at >= _start_of(self.since))
        if self.until:
            stmt = stmt.where(AuditEvent.at < _start_of(self.until + timedelta(days=1)))
        return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def actions() -> list[str]:
    """Every action recorded so far, for the filter's choices."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def csv_rows(flt: AuditFilter) -> Iterator[tuple[object, ...]]:
    yield CSV_HEADER
    for event in db.session.scalars(flt.statement()):
        yield (
            event.at.isoformat(timespec="seconds"),
            actor_name(event),
            event.action,
            event.object_type,
            event.object_key,
            json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True),
        )


def actor_name(event: AuditEvent) -> str:
    return event.actor.username if event.actor is not None else COMMAND_LINE


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
