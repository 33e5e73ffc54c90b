"""The database models: the single source of truth of the hub."""

from hub.models.accounts import Centre, EndedLogin, LoginAttempt, RecoveryCode, User
from hub.models.api import ApiRequestCount, ApiToken, TokenScope
from hub.models.attachments import Attachment
from hub.models.collections import Collection, CollectionItem
from hub.models.credentials import Invitation, PasswordReset
from hub.models.following import Notification, Watch, WatchTarget
from hub.models.matching import SavedProfile
from hub.models.practices import (
    ExperienceReport,
    Practice,
    PracticeLink,
    Revision,
    practice_authors,
    practice_sectors,
    practice_sizes,
    practice_tags,
    practice_topics,
)
from hub.models.search import SearchLogEntry
from hub.models.system import AuditEvent, OutboxEvent
from hub.models.taxonomy import CompanySize, Sector, SynonymGroup, Tag, TagAlias, Topic
from hub.models.workflow import SlugRedirect, StatusChange, Upload

__all__ = [
    "ApiRequestCount",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Centre",
    "Collection",
    "CollectionItem",
    "CompanySize",
    "EndedLogin",
    "ExperienceReport",
    "Invitation",
    "LoginAttempt",
    "Notification",
    "OutboxEvent",
    "PasswordReset",
    "Practice",
    "PracticeLink",
    "RecoveryCode",
    "Revision",
    "SavedProfile",
    "SearchLogEntry",
    "Sector",
    "SlugRedirect",
    "StatusChange",
    "SynonymGroup",
    "Tag",
    "TagAlias",
    "TokenScope",
    "Topic",
    "Upload",
    "User",
    "Watch",
    "WatchTarget",
    "practice_authors",
    "practice_sectors",
    "practice_sizes",
    "practice_tags",
    "practice_topics",
]
