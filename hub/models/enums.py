"""The fixed vocabularies' codes, as the columns store them. Their labels, order and the rest of
what the hub says about them live in ``hub.vocabulary``, which is where the rest of the hub imports
them from; the models take them from here so that ``hub.models`` depends on nothing of the hub's.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    CONTRIBUTOR = "contributor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class CentreKind(StrEnum):
    REGIONAL = "regional"
    COORDINATION = "coordination"
    SOLO_SELF_EMPLOYED = "solo-self-employed"


class Kind(StrEnum):
    CASE_STUDY = "case-study"
    BEST_PRACTICE = "best-practice"
    METHOD = "method"
    LESSON_LEARNED = "lesson-learned"


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class Status(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Result(StrEnum):
    WORKED = "worked"
    PARTLY = "partly"
    FAILED = "failed"


class LinkType(StrEnum):
    BUILDS_ON = "builds-on"
    ADAPTED_FROM = "adapted-from"
    ALTERNATIVE_TO = "alternative-to"
    SEE_ALSO = "see-also"
