"""Which account a person signed in through OpenID Connect gets (``account_for``).

1. An account already linked to the provider's ``iss`` + ``sub`` — whatever the e-mail address at
   the provider is now.
2. Otherwise only with an e-mail address the provider reports as verified: the one account with that
   address is linked (a link to another subject of the same provider is never replaced); else an open
   invitation to the address is accepted (its role and centre); else, with ``OIDC_AUTO_CREATE``, a
   new reader account with the centre the claim ``OIDC_CENTRE_CLAIM`` names (through
   ``OIDC_CENTRE_MAP``, or a centre's own slug; none when no value matches).
3. Everything else is refused with ``SignInDenied`` and a message for the person; nothing is made.
   Deactivated or deleted accounts are refused. The caller commits.

Two first sign-ins of the same person at once (two tabs, a double click) may both find no linked
account and both link or make one: the second to flush meets the unique constraint on issuer +
subject (or on the user name). Linking and making happen in a savepoint, so the loser rolls back
only that and takes the account the other request linked (one more try).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from hub.audit import AuditAction, record
from hub.auth.oidc import Identity
from hub.auth.operations import create_user
from hub.extensions import db
from hub.fields import USERNAME_RE
from hub.models import Centre, Invitation, User
from hub.models._types import utcnow
from hub.vocabulary import Role

log = logging.getLogger("hub.auth")


class SignInDenied(Exception):
    """No account for this sign-in; ``message`` is shown to the person, ``reason`` goes to the log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


def account_for(identity: Identity) -> User:
    try:
        return _account_for(identity)
    except IntegrityError:  # a concurrent sign-in flushed first: only the savepoint was undone
        log.info("single sign-on: a concurrent sign-in linked or made the account first")
        return _account_for(identity)  # now finds its account (another person's clash: one more try)


def _account_for(identity: Identity) -> User:
    user = _linked(identity)
    if user is not None:
        _require_usable(user)
        return user
    with db.session.begin_nested():
        return _link_or_make(identity)


def _link_or_make(identity: Identity) -> User:
    """The account for a person not linked yet: by verified address, invitation or auto-creation."""
    if not identity.email or not identity.email_verified:
        raise SignInDenied(
            _("Your sign-in service has not confirmed your e-mail address, so it cannot be matched to "
              "an account. Please confirm the address there, or ask your centre's coordinator."),
            "e-mail address missing or not verified",
        )
    user = _account_with(identity.email)
    if user is not None:
        _require_usable(user)
        return _link(user, identity)
    invitation = _open_invitation(identity.email)
    if invitation is not None:
        return _link(_accept(invitation, identity), identity)
    if current_app.config["OIDC_AUTO_CREATE"]:
        return _link(_create(identity), identity)
    raise SignInDenied(
        _("There is no account for %(email)s in the hub. Please ask your centre's coordinator for an "
          "invitation.", email=identity.email),
        "no account for the address",
    )


def centre_from(claims: dict[str, Any]) -> Centre | None:
    """The centre the claim ``OIDC_CENTRE_CLAIM`` names: the first of its values that
    ``OIDC_CENTRE_MAP`` maps to a centre's slug or that is one (case does not count)."""
    claim = str(current_app.config["OIDC_CENTRE_CLAIM"]).strip()
    if not claim:
        return None
    value = _claim(claims, claim)
    values = value if isinstance(value, list) else [value]
    mapping = centre_map()
    for item in values:
        if not isinstance(item, str | int) or isinstance(item, bool):
            continue
        key = str(item).strip().casefold()
        slug = mapping.get(key, key)
        centre = db.session.scalars(sa.select(Centre).where(sa.func.lower(Centre.slug) == slug)).first()
        if centre is not None:
            return centre
    if value is not None:
        log.info("single sign-on: the centre claim %s names no known centre", claim)
    return None


def centre_map() -> dict[str, str]:
    """``OIDC_CENTRE_MAP``: ``value=slug`` pairs separated by ``;`` or new lines."""
    mapping = {}
    for pair in re.split(r"[;\n]", str(current_app.config["OIDC_CENTRE_MAP"])):
        if "=" in pair:
            value, slug = pair.rsplit("=", 1)
            if value.strip() and slug.strip():
                mapping[value.strip().casefold()] = slug.strip().casefold()
    return mapping


def _claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; ``a.b`` reaches into an object claim when there is no claim called ``a.b``."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _linked(identity: Identity) -> User | None:
    return db.session.scalars(
        sa.select(User).where(User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject)
    ).one_or_none()


def _require_usable(user: User) -> None:
    if not user.active or user.deleted_at is not None:
        raise SignInDenied(
            _("This account is deactivated. Please contact the hub administration."), "account inactive"
        )


def _account_with(email: str) -> User | None:
    found = db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower(), User.deleted_at.is_(None))
    ).all()
    if len(found) > 1:
        raise SignInDenied(
            _("Several accounts use this e-mail address. Please ask the hub administration to sort it out."),
            "several accounts with the address",
        )
    return found[0] if found else None


def _open_invitation(email: str) -> Invitation | None:
    return db.session.scalars(
        sa.select(Invitation)
        .where(
            sa.func.lower(Invitation.email) == email.strip().lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.sent_at.desc())
    ).first()


def _link(user: User, identity: Identity) -> User:
    """Tie ``user`` to the person at the provider; a link to another subject of this provider stays."""
    if user.oidc_issuer == identity.issuer and user.oidc_subject not in (None, identity.subject):
        raise SignInDenied(
            _("This account is linked to another sign-in of the same service. Please contact the hub "
              "administration."),
            "account linked to another subject",
        )
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    db.session.flush()
    record(user, AuditAction.USER_LINK_SSO, user.username, issuer=identity.issuer)
    return user


def _accept(invitation: Invitation, identity: Identity) -> User:
    """The invited account, made with the invitation's role, centre and language."""
    user = _new_account(identity, invitation.role, invitation.centre)
    user.language = invitation.language
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    record(user, AuditAction.INVITATION_ACCEPT, invitation.email, username=user.username, via="sso")
    return user


def _create(identity: Identity) -> User:
    return _new_account(identity, Role.READER, centre_from(identity.claims))


def _new_account(identity: Identity, role: Role, centre: Centre | None) -> User:
    email = identity.email or ""
    name = (identity.name or email.split("@", 1)[0])[:200]
    user = create_user(None, _free_username(identity), name, email, role, centre, None)
    db.session.flush()  # gives the account its id
    return user


def _free_username(identity: Identity) -> str:
    """A user name from ``preferred_username`` or the e-mail's local part, made free with -2, -3 …"""
    for source in (identity.preferred_username, (identity.email or "").split("@", 1)[0], "member"):
        base = re.sub(r"[^a-z0-9._-]+", "-", (source or "").strip().lower()).strip("._-")[:56]
        if base and USERNAME_RE.match(base):
            break
    taken = set(db.session.scalars(sa.select(User.username).where(User.username.startswith(base))))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
