"""Centres and the people who work with the hub."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from hub.extensions import db
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.vocabulary import CentreKind, Role

if TYPE_CHECKING:
    from hub.models.practices import Practice


class Centre(db.Model):
    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(6))  # ISO 3166-2, e.g. DE-TH
    kind: Mapped[CentreKind] = mapped_column(enum_column(CentreKind, "centre_kind"))
    position: Mapped[int] = mapped_column(default=0)

    practices: Mapped[list[Practice]] = relationship(back_populates="centre")

    def __repr__(self) -> str:
        return f"<Centre {self.slug}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.READER)
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centres.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # e-mail digest of notifications: none | daily | weekly
    digest: Mapped[str] = mapped_column(sa.String(10), default="none", server_default="none")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    centre: Mapped[Centre | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot log in
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class LoginAttempt(db.Model):
    """A failed login, kept briefly for rate limiting. Holds a hash, never the client address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
