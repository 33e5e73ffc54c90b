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
    FOLDER_IMPORT = "folder.import"

    @property
    def object_type(self) -> str:
        return self.value.split(".", 1)[0]


# The package whose logger reports an object type's actions.
_PACKAGE = {
    "practice": "practices",
    "collection": "collections",
    "tag": "taxonomy",
    "user": "auth",
    "folder": "exchange",
}


def record(actor: User | None, action: AuditAction, object_key: str, **details: object) -> AuditEvent:
    """Add one audit row (``actor`` ``None``: the command line) and log one line; the caller commits."""
    event = AuditEvent(
        actor=actor, action=action.value, object_type=action.object_type, object_key=object_key[:200]
    )
    event.details = details
    db.session.add(event)
    who = actor.username if actor is not None else "command line"
    logging.getLogger(f"hub.{_PACKAGE[action.object_type]}").info("%s: %s %s", who, action.value, object_key)
    return event
