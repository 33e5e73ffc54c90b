"""Writing and review bookkeeping: status changes, old slugs that redirect, uploaded images."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.accounts import User
from hub.models.enums import Status
from hub.models.practices import Practice


class StatusChange(Model):
    """One workflow step of a practice: who moved it from which status to which, when and why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[Status] = mapped_column(enum_column(Status, "status_change_from"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "status_change_to"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    practice: Mapped[Practice] = relationship()
    actor: Mapped[User | None] = relationship()


class SlugRedirect(Model):
    """A slug a practice had before: its old URLs keep working."""

    __tablename__ = "slug_redirects"

    old_slug: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship()


class Upload(Model):
    """An image uploaded for a write-up, stored under UPLOAD_DIR with a random name."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)  # random file name with extension
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column(sa.Integer)
    uploader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship()
