"""Who may do what: declared once (role × action), checked in the operations layer.

Views and templates only *ask* (``can``); operations *enforce* (``require``), so no route, API
endpoint or CLI command can forget a check.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from hub.models import Centre
from hub.vocabulary import Role

if TYPE_CHECKING:
    from hub.models import Practice, User


class Action(StrEnum):
    CREATE_PRACTICE = "create-practice"
    EDIT_PRACTICE = "edit-practice"
    SUBMIT_PRACTICE = "submit-practice"
    REVIEW_PRACTICE = "review-practice"  # publish, send back
    ARCHIVE_PRACTICE = "archive-practice"
    DELETE_PRACTICE = "delete-practice"
    ADD_EXPERIENCE = "add-experience"
    EDIT_EXPERIENCE = "edit-experience"  # obj: the report; own reports only, coordinators any
    UPLOAD_IMAGE = "upload-image"
    FOLLOW = "follow"  # watch practices, tags, sectors …; notifications and digests
    MANAGE_TAGS = "manage-tags"
    MANAGE_COLLECTIONS = "manage-collections"
    VIEW_INSIGHTS = "view-insights"
    MANAGE_USERS = "manage-users"
    IMPORT_CONTENT = "import-content"
    INVITE_MEMBERS = "invite-members"  # coordinators: readers and contributors; admins: any role


_MEMBER = {Action.ADD_EXPERIENCE, Action.EDIT_EXPERIENCE, Action.FOLLOW}
_CONTRIBUTOR = _MEMBER | {
    Action.CREATE_PRACTICE,
    Action.UPLOAD_IMAGE,
    Action.EDIT_PRACTICE,
    Action.SUBMIT_PRACTICE,
    Action.ARCHIVE_PRACTICE,
    Action.MANAGE_COLLECTIONS,
}
_COORDINATOR = _CONTRIBUTOR | {
    Action.REVIEW_PRACTICE,
    Action.MANAGE_TAGS,
    Action.VIEW_INSIGHTS,
    Action.INVITE_MEMBERS,
}
_ADMIN = _COORDINATOR | {Action.DELETE_PRACTICE, Action.MANAGE_USERS, Action.IMPORT_CONTENT}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.READER: frozenset(_MEMBER),
    Role.CONTRIBUTOR: frozenset(_CONTRIBUTOR),
    Role.COORDINATOR: frozenset(_COORDINATOR),
    Role.ADMIN: frozenset(_ADMIN),
}

# Actions a contributor may take only on the practices of their own centre (or their own).
_CENTRE_BOUND = {Action.EDIT_PRACTICE, Action.SUBMIT_PRACTICE, Action.ARCHIVE_PRACTICE}
# Actions contributors take only for their own centre: creating practices, curating collections.
_CENTRE_OWNED = {Action.CREATE_PRACTICE, Action.MANAGE_COLLECTIONS}


class PermissionDenied(Exception):
    """The actor may not do this. Views answer 403, the API a problem document."""

    def __init__(self, action: Action, message: str = "") -> None:
        super().__init__(message or f"not allowed: {action}")
        self.action = action


def is_member(user: Any) -> bool:
    """A logged-in, active network member (anonymous users are not)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def is_privileged(user: Any) -> bool:
    """Coordinators and admins see and may act on everything."""
    return is_member(user) and user.role in (Role.COORDINATOR, Role.ADMIN)


def is_practice_insider(user: Any, practice: Practice) -> bool:
    """Authors, contributors of the owning centre, coordinators and admins."""
    if not is_member(user):
        return False
    if is_privileged(user):
        return True
    if any(author.id == user.id for author in practice.authors):
        return True
    return (
        user.role == Role.CONTRIBUTOR and user.centre_id is not None and user.centre_id == practice.centre_id
    )


def can(user: User | Any, action: Action, obj: Any = None) -> bool:
    if not is_member(user) or action not in ROLE_ACTIONS[user.role]:
        return False
    if action in _CENTRE_BOUND and obj is not None:
        return is_practice_insider(user, obj)
    if action == Action.EDIT_EXPERIENCE and obj is not None:  # obj: the experience report
        return is_privileged(user) or obj.author_id == user.id
    if action in _CENTRE_OWNED and obj is not None:
        # obj: the centre to act for, or a collection curated by a centre
        return is_privileged(user) or (_centre_id(obj) is not None and _centre_id(obj) == user.centre_id)
    return True


def _centre_id(obj: Any) -> int | None:
    return obj.id if isinstance(obj, Centre) else obj.centre_id


def require(user: User | Any, action: Action, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)
