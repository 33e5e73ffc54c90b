"""Bookkeeping rows: the search outbox and the audit log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, utcnow
from hub.models.accounts import User


class OutboxEvent(Model):
    """ "Practice N changed": written in the same transaction as the change, applied to the index later."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)  # no FK: survives deletion
    reason: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


AUDIT_OBJECT_KEY_LENGTH = 200  # what the audit log keeps of an object's key (longer ones are cut)


class AuditEvent(Model):
    """Who did what to which object, for coordinators and admins."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_key: Mapped[str] = mapped_column(sa.String(AUDIT_OBJECT_KEY_LENGTH))
    details: Mapped[dict[str, object]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()
