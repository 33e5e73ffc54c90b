"""Who a session or "stay logged in" cookie belongs to, and for how long.

Flask-Login keeps one identity string per login, in the session and (when chosen) in the remember
cookie: ``"<user id>:<session generation>:<login time>:<login id>"``. It is accepted only while

- the account is active and its ``session_generation`` is unchanged — ``end_sessions`` in
  ``hub.auth.operations`` raises it (log out everywhere, new password, deactivation), which ends
  every session and remember cookie issued before, on every device;
- the login is younger than ``SESSION_MAX_DAYS`` (absolute lifetime, remember cookies included);
- the login was not logged out: logging out records its random login id as ended (``EndedLogin``,
  on the server), so a copy of the session or remember cookie taken before is refused as well,
  while the account's other devices stay logged in. The record is pruned by the scheduler once the
  login's absolute lifetime is over (``prune_ended_logins``).

A session unused for ``SESSION_IDLE_HOURS`` ends; a remember cookie then starts a new one (within
the absolute lifetime). Over HTTPS the session cookie is called ``__Host-session``: Secure, Path=/,
no Domain, so no sibling host can set or overwrite it.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user
from sqlalchemy.exc import IntegrityError

from hub.extensions import db
from hub.models import EndedLogin, User
from hub.models._types import utcnow

SEEN = "_seen"  # session key: when the session was last used (seconds since the epoch)
SEEN_RESOLUTION = 60  # the session cookie is rewritten for a new "seen" at most once a minute
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", SEEN)
HOST_PREFIX = "__Host-"
PENDING = "_second_factor_pending"  # session key: a login waiting for its second factor
PENDING_SECONDS = 300


def identity(user: User, logged_in_at: int) -> str:
    """A new login's identity string, with a random login id of its own."""
    return f"{user.id}:{user.session_generation}:{logged_in_at}:{secrets.token_hex(16)}"


def user_for(value: str) -> User | None:
    """The account an identity string stands for, while it is still valid (Flask-Login's user_loader)."""
    user = _holder(value, int(current_app.config["SESSION_MAX_DAYS"]) * 86400)
    now = int(time.time())
    if user is not None and now - int(session.get(SEEN, 0)) >= SEEN_RESOLUTION:
        session[SEEN] = now
    return user


def _parsed(value: str) -> tuple[int, int, int, str] | None:
    """(user id, generation, login time, login id) of an identity string, else None — also for the
    shorter identities of cookies written before generations or login ids existed."""
    parts = value.split(":")
    if len(parts) != 4 or not all(part.isdigit() for part in parts[:3]) or len(parts[3]) != 32:
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), parts[3]


def _holder(value: str, max_age: int) -> User | None:
    """The active account of an identity string younger than ``max_age`` seconds, same generation,
    not logged out."""
    parsed = _parsed(value)
    if parsed is None:
        return None
    user_id, generation, logged_in_at, login_id = parsed
    if int(time.time()) - logged_in_at > max_age:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_generation != generation:
        return None
    if db.session.get(EndedLogin, login_id) is not None:
        return None
    return user


def start_pending(user: User, *, remember: bool, next_url: str) -> None:
    """The password was right but a second factor is due: remember who, for ``PENDING_SECONDS``,
    without logging in."""
    _fresh_session()
    session[PENDING] = {"id": identity(user, int(time.time())), "remember": remember, "next": next_url}


def pending() -> tuple[User, bool, str] | None:
    """(account, stay logged in?, next URL) of a login waiting for its second factor."""
    data = session.get(PENDING)
    if not isinstance(data, dict):
        return None
    user = _holder(str(data.get("id", "")), PENDING_SECONDS)
    return (user, bool(data.get("remember")), str(data.get("next", ""))) if user is not None else None


def start(user: User, *, remember: bool) -> None:
    """Log ``user`` in on a fresh session (no fixation), keeping only the chosen language."""
    _fresh_session()
    login_user(user, remember=remember)
    session["_user_id"] = identity(user, int(time.time()))  # what the remember cookie will carry too
    session[SEEN] = int(time.time())


def end() -> None:
    """Log out on this device: the login is recorded as ended on the server (copies of its cookies
    are refused too), the session is emptied and the remember cookie deleted."""
    _record_ended(str(session.get("_user_id", "")))
    logout_user()
    _fresh_session()
    session["_remember"] = "clear"  # Flask-Login deletes the remember cookie in its after-request hook


def _record_ended(value: str) -> None:
    parsed = _parsed(value)
    if parsed is None or db.session.get(EndedLogin, parsed[3]) is not None:
        return
    _user_id, _generation, logged_in_at, login_id = parsed
    lifetime = timedelta(days=int(current_app.config["SESSION_MAX_DAYS"]))
    expires_at = datetime.fromtimestamp(logged_in_at, UTC) + lifetime
    db.session.add(EndedLogin(login_id=login_id, expires_at=expires_at))
    try:
        db.session.commit()
    except IntegrityError:  # the same login logged out at the same moment in another request
        db.session.rollback()


def prune_ended_logins() -> int:
    """Forget ended logins whose absolute lifetime is over (their cookies are refused anyway)."""
    result = db.session.execute(sa.delete(EndedLogin).where(EndedLogin.expires_at < utcnow()))
    assert isinstance(result, sa.CursorResult)  # what a DELETE returns; Session.execute is typed Result
    deleted = result.rowcount
    db.session.commit()
    return int(deleted or 0)


def expire_idle_session() -> None:
    """Before each request: forget the login of a session unused for longer than the idle timeout."""
    if "_user_id" not in session:
        return
    idle = time.time() - float(session.get(SEEN, 0))
    if idle > float(current_app.config["SESSION_IDLE_HOURS"]) * 3600:
        for key in _LOGIN_KEYS:
            session.pop(key, None)


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


class HostOnlySessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie carries the ``__Host-`` prefix over HTTPS."""

    def get_cookie_name(self, app: Flask) -> str:
        name = super().get_cookie_name(app)
        return HOST_PREFIX + name if _https(app) else name

    def get_cookie_secure(self, app: Flask) -> bool:
        return _https(app) or super().get_cookie_secure(app)

    def get_cookie_domain(self, app: Flask) -> str | None:
        return None if _https(app) else super().get_cookie_domain(app)

    def get_cookie_path(self, app: Flask) -> str:
        return "/" if _https(app) else super().get_cookie_path(app)


def _https(app: Flask) -> bool:
    return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)
