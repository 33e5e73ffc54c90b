"""Centres and the people who work with the hub."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from secrets import token_hex
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from hub.extensions import Model
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.enums import CentreKind, Role

if TYPE_CHECKING:
    from hub.models.practices import Practice

# What pages show instead of the name of a deleted account (the database keeps no name for it).
FORMER_MEMBER = _l("former member")


class Centre(Model):
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


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.READER)
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centres.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session and "stay logged in" cookie; raising it ends them all (hub.auth.sessions).
    session_generation: Mapped[int] = mapped_column(default=1, server_default="1")
    # e-mail digest of notifications: none | daily | weekly
    digest: Mapped[str] = mapped_column(sa.String(10), default="none", server_default="none")
    # interface and mail language chosen on the account page; None: the hub's default
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # second factor (TOTP, RFC 6238): the shared secret while it is on; the last time step a code
    # was accepted for, so no code counts twice
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # single sign-on (hub.auth.oidc): the provider's issuer and the stable subject id it gives this
    # person; the e-mail address at the provider may change, the link stays
    oidc_issuer: Mapped[str | None] = mapped_column(sa.String(255))
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255))
    # set when the account was deleted: the row stays, pseudonymous, for what the person wrote
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    centre: Mapped[Centre | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    @property
    def display_name(self) -> str:
        """The name pages show: the person's, or "former member" in the reader's language once the
        account is deleted (its row keeps no name)."""
        return str(FORMER_MEMBER) if self.deleted_at is not None else self.name

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot log in
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``. Without a stored hash (no account, no password),
    a dummy hash is checked all the same, so the answer takes as long either way."""
    matches = check_password_hash(stored_hash or _dummy_hash(), password)
    return bool(stored_hash) and matches


@cache
def _dummy_hash() -> str:
    return generate_password_hash(token_hex(16))


class LoginAttempt(Model):
    """A failed login (or another throttled request: ``purpose``), kept briefly for rate limiting.
    Holds a hash, never the client address or e-mail address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), index=True)  # account and client
    client_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)  # client alone
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), default="login", server_default="login")


class EndedLogin(Model):
    """A login ended on its device (log out): its session and "stay logged in" cookies — copies
    included — are refused from now on. Kept until ``expires_at``, when the login's absolute lifetime
    is over anyway (``hub.auth.sessions``); the scheduler prunes it then. Holds no personal data."""

    __tablename__ = "ended_logins"

    login_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # random, from the cookie
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RecoveryCode(Model):
    """One of the single-use codes that stand in for the second factor; stored as a hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(256))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
