"""The fixed vocabularies of the hub (CONTENT-FORMAT.md). Codes are stored; labels are translated."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from flask_babel import lazy_gettext as _l

from hub.models.enums import CentreKind, Kind, LinkType, Result, Role, Status, Visibility

__all__ = [
    "GERMAN_STATES",
    "INVERSE_LABELS",
    "LABELS",
    "SIZE_CODES",
    "CentreKind",
    "Kind",
    "LinkType",
    "Result",
    "Role",
    "Status",
    "Visibility",
    "label",
    "label_table",
]

# The company size codes CONTENT-FORMAT.md allows; their order is taxonomy.yml's (``hub.vocabulary.stored``).
SIZE_CODES = ("solo", "micro", "small", "medium")

LABELS = {
    Role.READER: _l("Reader"),
    Role.CONTRIBUTOR: _l("Contributor"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
    CentreKind.REGIONAL: _l("Regional centre"),
    CentreKind.COORDINATION: _l("Coordinating centre"),
    CentreKind.SOLO_SELF_EMPLOYED: _l("Centre for the solo self-employed"),
    Kind.CASE_STUDY: _l("Case study"),
    Kind.BEST_PRACTICE: _l("Best practice"),
    Kind.METHOD: _l("Method / tool"),
    Kind.LESSON_LEARNED: _l("Lesson learned"),
    Visibility.PUBLIC: _l("Public"),
    Visibility.INTERNAL: _l("Internal (network members)"),
    Status.DRAFT: _l("Draft"),
    Status.REVIEW: _l("In review"),
    Status.PUBLISHED: _l("Published"),
    Status.ARCHIVED: _l("Archived"),
    Result.WORKED: _l("Worked"),
    Result.PARTLY: _l("Partly worked"),
    Result.FAILED: _l("Did not work"),
    LinkType.BUILDS_ON: _l("Builds on"),
    LinkType.ADAPTED_FROM: _l("Adapted from"),
    LinkType.ALTERNATIVE_TO: _l("Alternative to"),
    LinkType.SEE_ALSO: _l("See also"),
}


# How a typed link reads from its target's side ("used by" backlinks on the practice page).
INVERSE_LABELS = {
    LinkType.BUILDS_ON: _l("Built upon by"),
    LinkType.ADAPTED_FROM: _l("Adapted by"),
    LinkType.ALTERNATIVE_TO: _l("Alternative to"),
    LinkType.SEE_ALSO: _l("Referenced by"),
}


# Code → label; where two vocabularies share a code, the first one listed here names it.
_LABEL_OF_CODE: dict[str, object] = {}
for _enum in (Role, CentreKind, Kind, Visibility, Status, Result, LinkType):
    for _member in _enum:
        if _member in LABELS:
            _LABEL_OF_CODE.setdefault(_member.value, LABELS[_member])


def label(value: StrEnum | str) -> str:
    """The translated label of a vocabulary code (the code itself when unknown)."""
    text = _LABEL_OF_CODE.get(str(value))
    return str(text) if text is not None else str(value)


@cache
def label_table(locale: str) -> dict[str, str]:
    """Every code's label in ``locale`` (call it while that locale is the current one)."""
    return {code: str(text) for code, text in _LABEL_OF_CODE.items()}

# ISO 3166-2 codes of the German federal states (for client profiles).
GERMAN_STATES = {
    "DE-BW": "Baden-Württemberg",
    "DE-BY": "Bayern",
    "DE-BE": "Berlin",
    "DE-BB": "Brandenburg",
    "DE-HB": "Bremen",
    "DE-HH": "Hamburg",
    "DE-HE": "Hessen",
    "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen",
    "DE-NW": "Nordrhein-Westfalen",
    "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland",
    "DE-SN": "Sachsen",
    "DE-ST": "Sachsen-Anhalt",
    "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}
