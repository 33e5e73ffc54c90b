"""Password reset by e-mail ("Passwort vergessen?").

The answer to a request never tells whether the address belongs to an account: a token is made and
hashed and the message composed either way, and only mailed when there is an account. A link is
valid for ``PASSWORD_RESET_MINUTES``, once, and only while the account's session generation is the
one it was issued under — a password set in any other way (or "log out everywhere") raises it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from hub import events
from hub.accounts.links import new_token, token_hash
from hub.accounts.mails import reset_message
from hub.accounts.strength import check_password
from hub.audit import AuditAction
from hub.auth import throttle
from hub.auth.operations import AccountError, set_password
from hub.extensions import db
from hub.models import PasswordReset, User
from hub.models._types import utcnow

PURPOSE = "password-reset"


class Throttled(Exception):
    """Too many reset requests for this address or from this client."""


def request_reset(email: str, client: str) -> None:
    """Mail a reset link to every active account with this address (none: same work, no mail).
    The mail goes out after the caller's commit (``hub.accounts.mails``)."""
    cfg = current_app.config
    if not throttle.allow(
        PURPOSE,
        email,
        client,
        per_subject=int(cfg["PASSWORD_RESET_MAX_PER_ADDRESS"]),
        per_client=int(cfg["PASSWORD_RESET_MAX_PER_CLIENT"]),
        seconds=int(cfg["PASSWORD_RESET_WINDOW_SECONDS"]),
    ):
        raise Throttled
    users: Sequence[User | None] = db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower(), User.active.is_(True))
    ).all()
    for user in users or [None]:
        token, digest = new_token()
        if user is None:
            reset_message(None, token)  # the same work as for an account; nothing is sent
            continue
        db.session.add(
            PasswordReset(
                user=user,
                token_hash=digest,
                generation=user.session_generation,
                expires_at=utcnow() + timedelta(minutes=int(cfg["PASSWORD_RESET_MINUTES"])),
            )
        )
        events.emit(events.password_reset_requested, user, token=token)


def valid_reset(token: str) -> PasswordReset | None:
    """The reset a link stands for, while it may still be used."""
    reset = db.session.scalars(
        sa.select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).one_or_none()
    if (
        reset is None
        or reset.used_at is not None
        or reset.expires_at <= utcnow()
        or not reset.user.active
        or reset.generation != reset.user.session_generation
    ):
        return None
    return reset


def reset_password(token: str, password: str) -> User:
    """Set the password a valid link allows, and use the link up (``AccountError`` otherwise)."""
    reset = valid_reset(token)
    if reset is None:
        raise AccountError("token", _("This link is no longer valid. Please request a new one."))
    user = reset.user
    check_password(password, username=user.username, name=user.name, email=user.email)
    reset.used_at = utcnow()
    set_password(user, user, password, action=AuditAction.USER_RESET_PASSWORD)
    return user
