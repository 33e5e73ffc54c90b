"""Personal API tokens (stored hashed) and the per-token request counter for rate limiting."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.accounts import User


class TokenScope(StrEnum):
    READ = "read"
    READ_WRITE = "read-write"


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown to recognise a token; not secret
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the whole token
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "token_scope"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # refused from then on; None: never

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    user: Mapped[User] = relationship()


class ApiRequestCount(Model):
    """Requests of one token in one minute (fixed-window rate limit shared by all workers)."""

    __tablename__ = "api_request_counts"

    token_id: Mapped[int] = mapped_column(
        sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    window: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)  # minutes since the epoch
    count: Mapped[int] = mapped_column(default=0)
