"""The database models: the single source of truth of the hub."""

from hub.models.accounts import Centre, LoginAttempt, User
from hub.models.collections import Collection, CollectionItem
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

__all__ = [
    "AuditEvent",
    "Centre",
    "Collection",
    "CollectionItem",
    "CompanySize",
    "ExperienceReport",
    "LoginAttempt",
    "OutboxEvent",
    "Practice",
    "PracticeLink",
    "Revision",
    "SearchLogEntry",
    "Sector",
    "SynonymGroup",
    "Tag",
    "TagAlias",
    "Topic",
    "User",
    "practice_authors",
    "practice_sectors",
    "practice_sizes",
    "practice_tags",
    "practice_topics",
]
