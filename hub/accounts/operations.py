"""Changes a person makes to their own account (the account page)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from hub.accounts.strength import check_password
from hub.audit import AuditAction, record
from hub.auth.operations import AccountError, set_password
from hub.auth.permissions import is_member
from hub.extensions import available_locales
from hub.following.operations import set_digest
from hub.models import User


def update_account(user: User, *, name: str, email: str, language: str | None, digest: str) -> None:
    """Name, e-mail address, interface language and digest of one's own account."""
    _require_self(user)
    name, email = name.strip(), email.strip()
    if not name:
        raise AccountError("name", _("Please enter your name."))
    if language is not None and language not in available_locales():
        raise AccountError("language", _("Unknown language."))
    changes: dict[str, Any] = {}
    for attr, value in (("name", name), ("email", email), ("language", language)):
        if getattr(user, attr) != value:
            changes[attr] = value
            setattr(user, attr, value)
    if user.digest != digest:
        set_digest(user, digest)
        changes["digest"] = digest
    if changes:
        record(user, AuditAction.USER_UPDATE, user.username, **changes)


def change_password(user: User, *, current: str, new: str) -> None:
    """A new password of one's own: the current one must be given, the new one must be strong.
    Every other session (and every password-reset link) of the account ends."""
    _require_self(user)
    if not user.check_password(current):
        raise AccountError("current", _("The current password is wrong."))
    check_password(new, username=user.username, name=user.name, email=user.email)
    set_password(user, user, new, action=AuditAction.USER_CHANGE_PASSWORD)


def _require_self(user: User) -> None:
    if not is_member(user):
        raise AccountError("name", _("Only active members have an account page."))
