"""The GDPR rights of a member: take out everything the hub holds about them ("Meine Daten"), and
delete the account ("Konto löschen").

Deleting keeps the account row — write-ups, revisions and experience reports point at it — but
makes it pseudonymous: a random user name ``former-…``, no name (pages show "former member" in the
reader's language, ``User.display_name``), no e-mail,
password, second factor or language; tokens, watches, notifications, saved client profiles, reset
links and invitations to the address are deleted. Audit entries keep the row's id and get the
pseudonym instead of the user name; their details about the person are emptied. The user name in
the front matter of old revisions becomes the pseudonym, so an export or backup holds nothing
personal about them.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from hub.audit import AuditAction, record
from hub.auth.operations import AccountError, end_sessions
from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import (
    ApiToken,
    AuditEvent,
    ExperienceReport,
    Invitation,
    Notification,
    PasswordReset,
    Practice,
    RecoveryCode,
    Revision,
    SavedProfile,
    User,
    Watch,
    practice_authors,
)
from hub.models._types import utcnow
from hub.vocabulary import Role


def my_data(user: User) -> dict[str, Any]:
    """Everything the hub holds about ``user``, as JSON-ready data."""
    return {
        "account": {
            "username": user.username, "name": user.name, "email": user.email, "role": user.role.value,
            "centre": user.centre.slug if user.centre else None, "language": user.language,
            "digest": user.digest, "active": user.active, "created_at": _iso(user.created_at),
            "last_digest_at": _iso(user.last_digest_at), "second_factor": user.has_second_factor,
            "single_sign_on": {"issuer": user.oidc_issuer, "subject": user.oidc_subject}
            if user.oidc_subject else None,
        },
        "watches": [
            {"target": w.target.value, "key": w.key, "since": _iso(w.created_at)} for w in _of(Watch, user)
        ],
        "notifications": [
            {"practice": n.practice.slug, "reason": n.reason, "because": n.because, "at": _iso(n.created_at),
             "read_at": _iso(n.read_at), "mailed_at": _iso(n.mailed_at)}
            for n in _of(Notification, user)
        ],
        "saved_client_profiles": [
            {"label": p.label, "sector": p.sector, "size": p.size, "state": p.state, "topics": p.topics,
             "query": p.query, "created_at": _iso(p.created_at)}
            for p in _of(SavedProfile, user)
        ],
        "api_tokens": [
            {"name": t.name, "scope": t.scope.value, "created_at": _iso(t.created_at),
             "last_used_at": _iso(t.last_used_at), "expires_at": _iso(t.expires_at),
             "revoked_at": _iso(t.revoked_at)}
            for t in _of(ApiToken, user)
        ],
        "experience_reports": [
            {"practice": r.practice.slug, "centre": r.centre.slug, "sector": r.sector_code,
             "size": r.size_code, "result": r.result.value, "date": r.date.isoformat(),
             "note": r.note}
            for r in db.session.scalars(
                sa.select(ExperienceReport).where(ExperienceReport.author_id == user.id)
            )
        ],
        "authorship": {
            "practices": sorted(
                db.session.scalars(
                    sa.select(Practice.slug)
                    .join(practice_authors)
                    .where(practice_authors.c.user_id == user.id)
                )
            ),
            "revisions": [
                {"practice": slug, "number": number, "at": _iso(at)}
                for slug, number, at in db.session.execute(
                    sa.select(Practice.slug, Revision.number, Revision.created_at)
                    .join(Practice, Practice.id == Revision.practice_id)
                    .where(Revision.author_id == user.id)
                    .order_by(Practice.slug, Revision.number)
                )
            ],
        },
        "audit_log": [
            {"at": _iso(e.at), "action": e.action, "object": f"{e.object_type} {e.object_key}",
             "by_them": e.actor_id == user.id, "details": e.details}
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(
                    (AuditEvent.actor_id == user.id)
                    | ((AuditEvent.object_type == "user") & (AuditEvent.object_key == user.username))
                )
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        ],
    }


def delete_account(actor: User | None, user: User) -> str:
    """Remove the personal data of ``user`` (themselves, or an admin on request); returns the pseudonym."""
    by_self = actor is not None and actor.id == user.id
    if actor is not None and not by_self:
        require(actor, Action.MANAGE_USERS)
    if user.deleted_at is not None:
        raise AccountError("password", _("This account is deleted already."))
    if user.role == Role.ADMIN and _active_admins() <= 1:
        raise AccountError("password", _("The last administrator cannot be deleted."))
    old_username, old_email = user.username, user.email
    pseudonym = f"former-{secrets.token_hex(6)}"
    end_sessions(actor, user)
    for model in (ApiToken, Watch, Notification, SavedProfile, RecoveryCode, PasswordReset):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.execute(sa.delete(Invitation).where(sa.func.lower(Invitation.email) == old_email.lower()))
    user.username, user.name, user.email = pseudonym, "", ""
    user.password_hash = user.totp_secret = user.totp_last_step = user.language = None
    user.oidc_issuer = user.oidc_subject = None
    user.active, user.digest, user.last_digest_at, user.deleted_at = False, "none", None, utcnow()
    _pseudonymise_audit(old_username, pseudonym)
    _pseudonymise_revisions(old_username, pseudonym)
    record(actor, AuditAction.USER_DELETE, pseudonym, by="self" if by_self else "admin")
    return pseudonym


def _pseudonymise_audit(old: str, pseudonym: str) -> None:
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "user", AuditEvent.object_key == old)
    )
    for event in events:
        event.object_key = pseudonym
        event.details = {key: "–" for key in (event.details or {})}  # which fields changed, not to what


def _pseudonymise_revisions(old: str, pseudonym: str) -> None:
    """Old revisions keep their authors in their front matter: the user name becomes the pseudonym."""
    candidates = db.session.scalars(sa.select(Revision).where(sa.cast(Revision.data, sa.Text).contains(old)))
    for revision in candidates:
        authors = revision.data.get("authors")
        if isinstance(authors, list) and old in authors:
            revision.data = {**revision.data, "authors": [pseudonym if a == old else a for a in authors]}


def _active_admins() -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def _of(model: Any, user: User) -> list[Any]:
    return list(db.session.scalars(sa.select(model).where(model.user_id == user.id).order_by(model.id)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
