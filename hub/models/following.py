"""Following: what users watch, and the notifications that come of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.accounts import User
from hub.models.practices import Practice


class WatchTarget(StrEnum):
    PRACTICE = "practice"  # key: practice id
    TAG = "tag"  # key: tag name
    SECTOR = "sector"  # key: WZ code
    TOPIC = "topic"  # key: topic slug
    COLLECTION = "collection"  # key: collection id
    SEARCH = "search"  # key: canonical query string of a saved search (hub.saved_searches.criteria)


KEY_LENGTH = 500


class Watch(Model):
    __tablename__ = "watches"
    __table_args__ = (sa.UniqueConstraint("user_id", "target", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: Mapped[WatchTarget] = mapped_column(enum_column(WatchTarget, "watch_target"))
    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Notification(Model):
    """"Practice X was published / updated" for one user, because of one of their watches."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(40))  # published | updated
    because: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "tag:schichtplanung"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    practice: Mapped[Practice] = relationship()
