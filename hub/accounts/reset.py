"""Password reset by e-mail ("Passwort vergessen?").

The answer to a request never tells whether the address belongs to an account: a token is made and
hashed and the message composed either way, and only mailed when there is an account. A link is
valid for ``PASSWORD_RESET_MINUTES``, once, and only while the account's session generation is the
one it was issued under — a password set in any other way (or "log out everywhere") raises it.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from hub import mail
from hub.accounts.links import new_token, token_hash
from hub.accounts.strength import check_password
from hub.auth import throttle
from hub.auth.operations import AccountError, set_password
from hub.extensions import db
from hub.models import PasswordReset, User
from hub.models._types import utcnow

PURPOSE = "password-reset"


class Throttled(Exception):
    """Too many reset requests for this address or from this client."""


def request_reset(email: str, client: str) -> None:
    """Mail a reset link to every active account with this address (none: same work, no mail)."""
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
    users = db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower(), User.active.is_(True))
    ).all()
    for user in users or [None]:
        token, digest = new_token()
        composed = _message(user, token)
        if user is None:
            continue
        db.session.add(
            PasswordReset(
                user=user,
                token_hash=digest,
                generation=user.session_generation,
                expires_at=utcnow() + timedelta(minutes=int(cfg["PASSWORD_RESET_MINUTES"])),
            )
        )
        db.session.commit()
        mail.deliver(composed)


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
    set_password(user, user, password, action="user.password_reset")
    return user


def _message(user: User | None, token: str) -> mail.EmailMessage:
    link = mail.absolute(url_for("accounts.reset", token=token))
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    with force_locale(mail.language_of(user.language if user else None)):
        body = "\n".join(
            [
                _("Hello %(name)s,", name=user.name if user else ""),
                "",
                _("someone asked to set a new password for your Praxis-Hub account “%(username)s”.",
                  username=user.username if user else ""),
                _("To choose a new password, open this link within %(num)d minutes:", num=minutes),
                "",
                link,
                "",
                _("The link works once. If you did not ask for it, ignore this mail: your password stays."),
            ]
        )
        subject = _("Praxis-Hub: set a new password")
    return mail.message(user.email if user else "nobody@invalid", subject, body)
