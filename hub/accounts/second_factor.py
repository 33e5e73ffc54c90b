"""The second factor: TOTP codes (RFC 6238, pyotp) and 10 single-use recovery codes (stored hashed).

Any account can turn it on; ``REQUIRE_2FA`` (``admin`` or ``coordinator``) makes it mandatory for
those roles (``coordinator``: coordinators and admins). A TOTP code counts once: the time step it
was accepted for is kept. Admins can take a member's second factor away (e.g. a lost phone), which
also ends that member's sessions.

Turning it off is confirmed with the current password — or, for an account without a password
logins accept (single sign-on only: no password, or ``PASSWORD_LOGIN=0``), with a current code
from the app, one not used before (the page throttles wrong codes like logins).
"""

from __future__ import annotations

import io
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from hub.accounts.links import token_hash
from hub.audit import AuditAction, record
from hub.auth.oidc import password_login
from hub.auth.operations import AccountError, end_sessions
from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import RecoveryCode, User
from hub.models._types import utcnow
from hub.vocabulary import Role

ISSUER = "Praxis-Hub"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_REQUIRED_ROLES = {"admin": {Role.ADMIN}, "coordinator": {Role.COORDINATOR, Role.ADMIN}}


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg(user: User, secret: str) -> Markup:
    """The ``otpauth://`` URI of ``secret`` as an inline SVG QR code (made here, no outside service)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, scale=4, title=_("QR code for your app"),
        svgclass="qr-code",
    )
    return Markup(buffer.getvalue().decode())  # noqa: S704 - SVG made by segno from our own URI


def required_for(user: User) -> bool:
    """Whether ``REQUIRE_2FA`` makes a second factor mandatory for this account's role."""
    setting = str(current_app.config["REQUIRE_2FA"]).strip().lower()
    return user.role in _REQUIRED_ROLES.get(setting, set())


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on once ``code`` proves the app has ``secret``; returns the recovery
    codes (shown once, stored hashed)."""
    if user.has_second_factor:
        raise AccountError("code", _("The second factor is on already."))
    step = _matching_step(secret, code, after=None)
    if step is None:
        raise AccountError("code", _("This code is not valid. Check the time on your phone and try again."))
    user.totp_secret, user.totp_last_step = secret, step
    codes = _new_recovery_codes(user)
    record(user, AuditAction.USER_ENABLE_2FA, user.username)
    return codes


def confirms_with_password(user: User) -> bool:
    """Whether turning the second factor off asks for the current password (else for a code)."""
    return bool(user.password_hash) and password_login()


def disable(user: User, *, password: str | None = None, code: str | None = None) -> None:
    """Turn the second factor off, with the current password — or a current code from the app for
    accounts that have no password logins accept (``confirms_with_password``)."""
    if confirms_with_password(user):
        field = "password"
        if not user.check_password(password or ""):
            raise AccountError(field, _("The current password is wrong."))
    else:
        field = "code"
        if _matching_step(user.totp_secret or "", code or "", after=user.totp_last_step) is None:
            raise AccountError(field, _("This code is not valid. A code counts once: if you have just "
                                        "used it, wait for the next one."))
    if required_for(user):
        raise AccountError(field, _("Your role needs a second factor: it cannot be turned off."))
    _clear(user)
    record(user, AuditAction.USER_DISABLE_2FA, user.username)


def reset(actor: User | None, user: User) -> None:
    """An admin takes the member's second factor away; every session of the member ends."""
    if actor is not None:
        require(actor, Action.MANAGE_USERS)
    _clear(user)
    record(actor, AuditAction.USER_RESET_2FA, user.username)
    end_sessions(actor, user)


def verify(user: User, code: str) -> bool:
    """Whether ``code`` is a current TOTP code not used before, or an unused recovery code (then used up)."""
    if not user.has_second_factor:
        return False
    step = _matching_step(user.totp_secret or "", code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    digest = token_hash(_normalised(code))
    recovery = db.session.scalars(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == digest, RecoveryCode.used_at.is_(None)
        )
    ).first()
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    record(user, AuditAction.USER_USE_RECOVERY_CODE, user.username)
    return True


def unused_recovery_codes(user: User) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def _matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step (now, or one before or after for clock drift) ``code`` belongs to, if newer than
    ``after``."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now, now - 1, now + 1):
        if (after is None or step > after) and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=token_hash(raw)))
    return codes


def _normalised(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
