"""A practice as plain data: what the editor, the importer and the API hand to the operations.

Field names and order follow CONTENT-FORMAT.md, so ``front_matter()`` is exactly what a revision
stores and what an export writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Outcome:
    result: str
    effort_days: Decimal | None = None
    cost_eur: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"result": self.result}
        if self.effort_days is not None:
            effort = self.effort_days.normalize()
            data["effort_days"] = int(effort) if effort == effort.to_integral() else float(effort)
        if self.cost_eur is not None:
            data["cost_eur"] = self.cost_eur
        return data


@dataclass(frozen=True)
class RelatedLink:
    slug: str
    type: str

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "type": self.type}


@dataclass(frozen=True)
class Experience:
    centre: str
    sector: str
    size: str
    result: str
    date: date
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "sector": self.sector,
            "size": self.size,
            "result": self.result,
            "date": self.date,
            "note": self.note,
        }


@dataclass
class PracticeData:
    title: str
    slug: str
    kind: str
    centre: str
    summary: str
    sectors: list[str]
    sizes: list[str]
    topics: list[str]
    visibility: str
    status: str
    body: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published: date | None = None
    updated: date | None = None
    review_due: date | None = None
    outcome: Outcome | None = None
    related: list[RelatedLink] = field(default_factory=list)
    experiences: list[Experience] = field(default_factory=list)

    def front_matter(self, *, with_experiences: bool = False) -> dict[str, Any]:
        """The metadata in CONTENT-FORMAT.md order; optional parts only when present."""
        data: dict[str, Any] = {
            "title": self.title,
            "slug": self.slug,
            "kind": self.kind,
            "centre": self.centre,
        }
        if self.authors:
            data["authors"] = list(self.authors)
        data.update(
            summary=self.summary,
            sectors=list(self.sectors),
            sizes=list(self.sizes),
            topics=list(self.topics),
        )
        if self.tags:
            data["tags"] = list(self.tags)
        data.update(visibility=self.visibility, status=self.status)
        for name in ("published", "updated", "review_due"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.outcome is not None:
            data["outcome"] = self.outcome.as_dict()
        if self.related:
            data["related"] = [link.as_dict() for link in self.related]
        if with_experiences and self.experiences:
            data["experiences"] = [report.as_dict() for report in self.experiences]
        return data

    def revision_data(self) -> dict[str, Any]:
        """JSON-safe metadata stored with a revision (dates as ISO strings)."""
        return _json_safe(self.front_matter())


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
