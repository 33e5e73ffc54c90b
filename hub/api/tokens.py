"""Personal API tokens: created and revoked on the profile page, stored as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.exc import IntegrityError

from hub.auth.permissions import Action, require
from hub.extensions import db, login_manager
from hub.models import ApiRequestCount, ApiToken, TokenScope, User
from hub.models._types import utcnow

PREFIX = "ph_"
API_PATH = "/api/v1/"  # where tokens count (the API blueprint); pages never read them


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenExpired(Exception):
    """The token named in the request is past its expiry date."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(f"token {token.prefix}… expired")
        self.token = token


def create_token(
    user: User, name: str, scope: TokenScope, valid_until: date | None = None
) -> tuple[ApiToken, str]:
    """A new token, usable up to and including the day ``valid_until`` (hub time) when given.
    The plain text is returned once and never stored."""
    require(user, Action.FOLLOW)  # any active member may use the API
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:80] or "API", prefix=plain[:10], token_hash=_hash(plain),
                     scope=TokenScope(scope), expires_at=_end_of(valid_until))
    db.session.add(token)
    return token, plain


def hub_today() -> date:
    """Today's date in the hub's time zone (what "valid until" dates mean)."""
    return datetime.now(_hub_zone()).date()


def valid_until(token: ApiToken) -> date | None:
    """The last day the token may be used, as chosen when it was created."""
    if token.expires_at is None:
        return None
    return (token.expires_at.astimezone(_hub_zone()) - timedelta(days=1)).date()


def _end_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=_hub_zone())


def _hub_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def revoke_token(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True


def user_tokens(user: User) -> list[ApiToken]:
    stmt = sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(stmt.order_by(ApiToken.created_at.desc())))


def authenticate(header: str | None) -> ApiToken | None:
    """The live token named by an ``Authorization: Bearer …`` header, if any; raises ``TokenExpired``
    for one past its expiry date (the API answers 401 instead of treating the caller as anonymous)."""
    if not header or not header.startswith("Bearer "):
        return None
    plain = header.removeprefix("Bearer ").strip()
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == _hash(plain))).one_or_none()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.expired(now):
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
        db.session.commit()
    return token


def login_by_token() -> None:
    """Before each request, ahead of the login's own hooks: a request to the API that carries an
    ``Authorization`` header is the header's alone. The token's account (or nobody, for a token that
    is unknown, revoked or expired) is the request's user; a session or "stay logged in" cookie sent
    along — a logged-in browser trying the API — is not asked, so the token's scope holds and no CSRF
    token is needed (a cross-site form cannot set the header). Pages never read tokens."""
    if not request.path.startswith(API_PATH) or "Authorization" not in request.headers:
        return
    token = None
    try:
        token = authenticate(request.headers["Authorization"])
    except TokenExpired as expired:
        g.api_token_expired = expired  # answered with 401 by the API's guard
    if token is not None:
        g.api_token = token
    # Flask-Login keeps the request's user in ``g._login_user``: set now, it never loads one from cookies
    g._login_user = token.user if token is not None else login_manager.anonymous_user()


def over_limit(token: ApiToken) -> int | None:
    """Count this request; the seconds to wait when the token is over its per-minute limit."""
    now = utcnow()
    window = int(now.timestamp() // 60)
    limit = int(current_app.config["API_RATE_LIMIT"])
    table = ApiRequestCount.__table__
    for _attempt in range(3):
        result = db.session.execute(
            sa.update(table).where(table.c.token_id == token.id, table.c.window == window)
            .values(count=table.c.count + 1)
        )
        assert isinstance(result, sa.CursorResult)  # what an UPDATE returns; Session.execute is typed Result
        if result.rowcount:
            break
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(table).values(token_id=token.id, window=window, count=1))
            break
        except IntegrityError:
            continue
    db.session.execute(sa.delete(table).where(table.c.token_id == token.id, table.c.window < window - 1))
    count = db.session.scalar(
        sa.select(table.c.count).where(table.c.token_id == token.id, table.c.window == window)
    )
    db.session.commit()
    return 60 - int(now.timestamp()) % 60 if (count or 0) > limit else None
