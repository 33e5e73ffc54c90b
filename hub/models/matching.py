"""Saved client profiles: a label and the profile's criteria — never client names or personal data."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, utcnow
from hub.models.accounts import User


class SavedProfile(Model):
    __tablename__ = "saved_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    sector: Mapped[str | None] = mapped_column(sa.String(1))
    size: Mapped[str | None] = mapped_column(sa.String(16))
    state: Mapped[str | None] = mapped_column(sa.String(6))
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    query: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
