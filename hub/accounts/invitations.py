"""Invitations: a member with the right to invite brings a new colleague in by e-mail.

Admins invite to any role, coordinators readers and contributors, each to any centre (checked
here, whoever calls). The mail links to a page where the invitee chooses user name, name and
password; the link is valid for ``INVITATION_DAYS``, once. Creating, resending, revoking and
accepting are audited (``invitation.*``).

With single sign-on only (``PASSWORD_LOGIN=0``) no password is chosen: the account is made without
one, and the invitee signs in through the provider, which links the account by the invited address
once it reports that address as verified (``hub.auth.oidc_accounts``).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from hub import events
from hub.accounts.links import new_token, token_hash
from hub.accounts.strength import check_password
from hub.audit import AuditAction, record
from hub.auth.oidc import password_login
from hub.auth.operations import USERNAME_RE, AccountError, create_user
from hub.auth.permissions import Action, PermissionDenied, require
from hub.extensions import db
from hub.models import Centre, Invitation, User
from hub.models._types import utcnow
from hub.vocabulary import Role

_COORDINATOR_MAY_INVITE = (Role.READER, Role.CONTRIBUTOR)


class AlreadyMember(AccountError):
    """The invited address belongs to an account already."""


def invitable_roles(actor: User) -> list[Role]:
    if actor.role == Role.ADMIN:
        return list(Role)
    if actor.role == Role.COORDINATOR:
        return list(_COORDINATOR_MAY_INVITE)
    return []


def invite(
    actor: User, email: str, role: Role, centre: Centre | None, language: str | None = None
) -> Invitation:
    """Invite ``email`` to join as ``role`` (of ``centre``); the link is mailed after the commit."""
    _require_for(actor, Role(role))
    email = email.strip()
    if _account_with(email) is not None:
        raise AlreadyMember("email", _("An account with this e-mail address exists already."))
    if any(i.is_open for i in _invitations_for(email)):
        raise AccountError("email", _("This address is invited already: resend that invitation instead."))
    invitation = Invitation(email=email, role=Role(role), centre=centre, language=language, invited_by=actor,
                            token_hash="", expires_at=utcnow())
    db.session.add(invitation)
    token = _renew(invitation)
    record(actor, AuditAction.INVITATION_CREATE, email, role=invitation.role.value,
           centre=centre.slug if centre else None)
    events.emit(events.invitation_sent, invitation, token=token)
    return invitation


def resend(actor: User, invitation: Invitation) -> None:
    """A new link (the old one stops working) with a fresh validity, mailed again."""
    _require_open(actor, invitation)
    token = _renew(invitation)
    record(actor, AuditAction.INVITATION_RESEND, invitation.email)
    events.emit(events.invitation_sent, invitation, token=token)


def revoke(actor: User, invitation: Invitation) -> None:
    _require_open(actor, invitation)
    invitation.revoked_at = utcnow()
    record(actor, AuditAction.INVITATION_REVOKE, invitation.email)


def open_invitations() -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.sent_at.desc())
        )
    )


def valid_invitation(token: str) -> Invitation | None:
    """The open, unexpired invitation a link stands for."""
    invitation = db.session.scalars(
        sa.select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).one_or_none()
    if invitation is None or not invitation.is_open or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(token: str, *, username: str, name: str, password: str | None) -> User:
    """Create the invitee's account with the invited role and centre (``AccountError`` otherwise);
    with ``PASSWORD_LOGIN=0`` without a password (``password`` is not used)."""
    invitation = valid_invitation(token)
    if invitation is None:
        raise AccountError("token", _("This link is no longer valid. Please request a new one."))
    if _account_with(invitation.email) is not None:
        raise AlreadyMember("username", _already_message(invitation.email))
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise AccountError("username", _("Lower-case letters, digits, “.”, “_” or “-”, please."))
    if db.session.scalars(sa.select(User.id).where(User.username == username)).first():
        raise AccountError("username", _("This user name is taken already. Please choose another."))
    if not name.strip():
        raise AccountError("name", _("Please enter your name."))
    if password_login():
        check_password(password or "", username=username, name=name, email=invitation.email)
    user = create_user(None, username, name, invitation.email, invitation.role, invitation.centre, None)
    if password_login():
        user.set_password(password or "")
    user.language = invitation.language
    invitation.accepted_at = utcnow()
    db.session.flush()  # gives the account its id
    invitation.user_id = user.id
    record(user, AuditAction.INVITATION_ACCEPT, invitation.email, username=user.username)
    return user


def _already_message(email: str) -> str:
    if password_login():
        return _("An account with the address %(email)s exists already. Please log in with it, or use "
                 "“Forgot your password?” on the login page.", email=email)
    return _("An account with the address %(email)s exists already. Please log in with it.", email=email)


def _renew(invitation: Invitation) -> str:
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.sent_at = utcnow()
    invitation.expires_at = utcnow() + timedelta(days=int(current_app.config["INVITATION_DAYS"]))
    return token


def _require_for(actor: User, role: Role) -> None:
    require(actor, Action.INVITE_MEMBERS)
    if role not in invitable_roles(actor):
        raise PermissionDenied(Action.INVITE_MEMBERS, f"{actor.role} may not invite as {role}")


def _require_open(actor: User, invitation: Invitation) -> None:
    _require_for(actor, invitation.role)
    if not invitation.is_open:
        raise AccountError("email", _("This invitation was accepted or revoked already."))


def _account_with(email: str) -> User | None:
    return db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    ).first()


def _invitations_for(email: str) -> list[Invitation]:
    return list(
        db.session.scalars(sa.select(Invitation).where(sa.func.lower(Invitation.email) == email.lower()))
    )
