"""Account changes, shared by the admin pages and the ``hub user`` commands.

``actor`` is the logged-in admin; ``None`` means the command line (trusted operator).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hub.audit import AuditAction, record
from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.fields import USERNAME_RE
from hub.models import Centre, User
from hub.models.accounts import password_matches
from hub.vocabulary import Role

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A change that cannot be made; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def create_user(
    actor: User | None,
    username: str,
    name: str,
    email: str,
    role: Role,
    centre: Centre | None,
    password: str | None,
) -> User:
    _require(actor)
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError("username", "user names are lower-case letters, digits, '.', '_' or '-'")
    if db.session.scalars(sa.select(User.id).where(User.username == username)).first():
        raise AccountError("username", f"user {username!r} exists already")
    user = User(username=username, name=name.strip(), email=email.strip(), role=Role(role), centre=centre)
    if password:
        set_password(actor, user, password)
    db.session.add(user)
    record(actor, AuditAction.USER_CREATE, user.username, role=user.role.value)
    return user


def set_password(
    actor: User | None, user: User, password: str, *, action: AuditAction = AuditAction.USER_CREDENTIALS
) -> None:
    """Set a new password (admins for anyone; people for themselves once the caller has checked the
    current password or a reset link). Ends every session of the account and, with it, every
    password-reset link issued before."""
    if actor is None or actor.id != user.id:
        _require(actor)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    user.set_password(password)
    record(actor, action, user.username)
    if user.id is not None:  # a new account has no sessions yet
        end_sessions(actor, user)


def end_sessions(actor: User | None, user: User) -> None:
    """Log ``user`` out everywhere: every session and "stay logged in" cookie issued so far stops
    working (see hub.auth.sessions). Users may do this for themselves, admins for anyone."""
    if actor is None or actor.id != user.id:
        _require(actor)
    user.session_generation = (user.session_generation or 1) + 1
    record(actor, AuditAction.USER_END_SESSIONS, user.username)


def authenticate(username: str, password: str) -> User | None:
    """The active account with this user name and password. The password is checked against a hash
    whether or not the account exists or is active, so the time taken does not tell which."""
    user = db.session.scalars(sa.select(User).where(User.username == username.strip())).one_or_none()
    matches = password_matches(user.password_hash if user is not None else None, password)
    return user if user is not None and user.active and matches else None


def record_login(user: User) -> None:
    """Audit a login with user name and password (``user.login-password``); the caller commits."""
    record(user, AuditAction.USER_LOGIN_PASSWORD, user.username)


def record_failed_login(typed_username: str) -> None:
    """Audit a refused login (``user.login-failed``) under the user name as typed — known or not,
    printable characters only (``record`` cuts it to the column) — and never the password; the
    caller commits."""
    printable = "".join(char if char.isprintable() else "?" for char in typed_username.strip())
    record(None, AuditAction.USER_LOGIN_FAILED, printable)


def update_user(
    actor: User | None, user: User, *, name: str, email: str, role: Role, centre: Centre | None, active: bool
) -> None:
    _require(actor)
    if actor is not None and user.id == actor.id and (role != Role.ADMIN or not active):
        raise AccountError("role", "you cannot take away your own admin rights or deactivate yourself")
    changes: dict[str, Any] = {}
    for attr, value in (("name", name.strip()), ("email", email.strip()), ("role", Role(role)),
                        ("centre", centre), ("active", active)):
        if getattr(user, attr) != value:
            changes[attr] = str(getattr(value, "slug", value))
            setattr(user, attr, value)
    if changes:
        record(actor, AuditAction.USER_UPDATE, user.username, **changes)
    if "active" in changes and not active:
        end_sessions(actor, user)


def _require(actor: User | None) -> None:
    if actor is not None:
        require(actor, Action.MANAGE_USERS)
