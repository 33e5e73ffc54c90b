"""Who a session or "stay logged in" cookie belongs to, and for how long.

Flask-Login keeps one identity string per login, in the session and (when chosen) in the remember
cookie: ``"<user id>:<session generation>:<login time>"``. It is accepted only while

- the account is active and its ``session_generation`` is unchanged — ``end_sessions`` in
  ``hub.auth.operations`` raises it (log out everywhere, new password, deactivation), which ends
  every session and remember cookie issued before, on every device;
- the login is younger than ``SESSION_MAX_DAYS`` (absolute lifetime, remember cookies included).

A session unused for ``SESSION_IDLE_HOURS`` ends; a remember cookie then starts a new one (within
the absolute lifetime). Over HTTPS the session cookie is called ``__Host-session``: Secure, Path=/,
no Domain, so no sibling host can set or overwrite it.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user

from hub.extensions import db
from hub.models import User

SEEN = "_seen"  # session key: when the session was last used (seconds since the epoch)
SEEN_RESOLUTION = 60  # the session cookie is rewritten for a new "seen" at most once a minute
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", SEEN)
HOST_PREFIX = "__Host-"
PENDING = "_second_factor_pending"  # session key: a login waiting for its second factor
PENDING_SECONDS = 300


def identity(user: User, logged_in_at: int) -> str:
    return f"{user.id}:{user.session_generation}:{logged_in_at}"


def user_for(value: str) -> User | None:
    """The account an identity string stands for, while it is still valid (Flask-Login's user_loader)."""
    user = _holder(value, int(current_app.config["SESSION_MAX_DAYS"]) * 86400)
    now = int(time.time())
    if user is not None and now - int(session.get(SEEN, 0)) >= SEEN_RESOLUTION:
        session[SEEN] = now
    return user


def _holder(value: str, max_age: int) -> User | None:
    """The active account of an identity string younger than ``max_age`` seconds, same generation."""
    parts = value.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None  # also the bare user ids of cookies written before generations existed
    user_id, generation, logged_in_at = (int(part) for part in parts)
    if int(time.time()) - logged_in_at > max_age:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_generation != generation:
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
    """Log out on this device: the session is emptied and the remember cookie deleted."""
    logout_user()
    _fresh_session()
    session["_remember"] = "clear"  # Flask-Login deletes the remember cookie in its after-request hook


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
