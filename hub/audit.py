"""The audit log's one writer: who did what to which object, named ``object.verb``.

Every recorded action also goes to the log of the package it belongs to (``hub.practices``,
``hub.collections`` …) as one line — who, what, which object; the details (titles, changed
fields) stay in the database, so nothing secret or personal reaches a log file.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from hub.extensions import db
from hub.models import AuditEvent, User
from hub.models.system import AUDIT_OBJECT_KEY_LENGTH


class AuditAction(StrEnum):
    PRACTICE_DELETE = "practice.delete"
    COLLECTION_CREATE = "collection.create"
    COLLECTION_UPDATE = "collection.update"
    COLLECTION_SET_SEARCH = "collection.set-search"
    COLLECTION_ADD_PRACTICE = "collection.add-practice"
    COLLECTION_REMOVE_PRACTICE = "collection.remove-practice"
    COLLECTION_DELETE = "collection.delete"
    TAG_RENAME = "tag.rename"
    TAG_MERGE = "tag.merge"
    TAG_ADD_ALIAS = "tag.add-alias"
    TAG_REMOVE_ALIAS = "tag.remove-alias"
    USER_CREATE = "user.create"
    USER_UPDATE = "user.update"
    USER_CREDENTIALS = "user.set-password"  # a new password was set (never the password itself)
    USER_END_SESSIONS = "user.end-sessions"  # logged out everywhere
    USER_CHANGE_PASSWORD = "user.change-password"  # noqa: S105 - an action name: by the person, with the current one
    USER_RESET_PASSWORD = "user.reset-password"  # noqa: S105 - an action name: through a reset link
    USER_DELETE = "user.delete"  # personal data removed, the account kept as a pseudonym
    USER_ENABLE_2FA = "user.enable-2fa"
    USER_DISABLE_2FA = "user.disable-2fa"
    USER_RESET_2FA = "user.reset-2fa"  # by an admin
    USER_USE_RECOVERY_CODE = "user.use-recovery-code"
    USER_LINK_SSO = "user.link-sso"  # an account was tied to a person at the OpenID provider
    USER_LOGIN_SSO = "user.login-sso"  # signed in through the OpenID provider
    USER_LOGIN_PASSWORD = "user.login-password"  # noqa: S105 - an action name: user name and password right
    USER_LOGIN_FAILED = "user.login-failed"  # user name or password wrong: the name typed, never the password
    INVITATION_CREATE = "invitation.create"
    INVITATION_RESEND = "invitation.resend"
    INVITATION_REVOKE = "invitation.revoke"
    INVITATION_ACCEPT = "invitation.accept"
    FOLDER_IMPORT = "folder.import"

    @property
    def object_type(self) -> str:
        return self.value.split(".", 1)[0]


# Actions of someone not logged in: no actor, and not the command line either.
ANONYMOUS_ACTIONS = frozenset({AuditAction.USER_LOGIN_FAILED.value})

# The package whose logger reports an object type's actions.
_PACKAGE = {
    "practice": "practices",
    "collection": "collections",
    "tag": "taxonomy",
    "user": "auth",
    "invitation": "accounts",
    "folder": "exchange",
}


def record(actor: User | None, action: AuditAction, object_key: str, **details: object) -> AuditEvent:
    """Add one audit row (``actor`` ``None``: the command line, or nobody logged in for
    ``ANONYMOUS_ACTIONS``) and log one line; the caller commits."""
    event = AuditEvent(actor=actor, action=action.value, object_type=action.object_type,
                       object_key=object_key[:AUDIT_OBJECT_KEY_LENGTH])
    event.details = details
    db.session.add(event)
    who = "anonymous" if action.value in ANONYMOUS_ACTIONS else "command line"
    if actor is not None:
        who = actor.username
    logging.getLogger(f"hub.{_PACKAGE[action.object_type]}").info("%s: %s %s", who, action.value, object_key)
    return event
