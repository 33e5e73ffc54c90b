"""Readable differences between two revisions: changed metadata fields and a line diff of the body,
with changed words marked inside changed lines."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from hub.models import Revision


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False


@dataclass(frozen=True)
class Line:
    op: str  # "equal" | "delete" | "insert"
    old_number: int | None
    new_number: int | None
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class RevisionDiff:
    fields: list[FieldChange]
    body: list[Line]

    @property
    def empty(self) -> bool:
        return not self.fields and not any(line.op != "equal" for line in self.body)


def diff_revisions(old: Revision, new: Revision, context: int = 3) -> RevisionDiff:
    return diff_data(dict(old.data), old.body, dict(new.data), new.body, context)


def diff_data(
    old_meta: dict[str, Any], old_body: str, new_meta: dict[str, Any], new_body: str, context: int = 3
) -> RevisionDiff:
    names = list(dict.fromkeys([*old_meta, *new_meta]))
    fields = [
        FieldChange(name, _show_field(name, old_meta.get(name)), _show_field(name, new_meta.get(name)))
        for name in names
        if old_meta.get(name) != new_meta.get(name)
    ]
    return RevisionDiff(fields, body_diff(old_body, new_body, context))


def body_diff(old: str, new: str, context: int = 3) -> list[Line]:
    """Changed lines with ``context`` unchanged lines around them; an empty ``op`` line marks a gap."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    lines: list[Line] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(Line("gap", None, None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(
                    Line("equal", i1 + k + 1, j1 + k + 1, [Segment(a[i1 + k])]) for k in range(i2 - i1)
                )
                continue
            old_part, new_part = a[i1:i2], b[j1:j2]
            if tag == "replace" and len(old_part) == len(new_part):
                for k, (x, y) in enumerate(zip(old_part, new_part, strict=True)):
                    old_segments, new_segments = _word_diff(x, y)
                    lines.append(Line("delete", i1 + k + 1, None, old_segments))
                    lines.append(Line("insert", None, j1 + k + 1, new_segments))
                continue
            lines.extend(Line("delete", i1 + k + 1, None, [Segment(x, True)]) for k, x in enumerate(old_part))
            lines.extend(Line("insert", None, j1 + k + 1, [Segment(y, True)]) for k, y in enumerate(new_part))
    return lines


def _word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    a, b = re.findall(r"\s+|\w+|[^\w\s]", old), re.findall(r"\s+|\w+|[^\w\s]", new)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            old_segments.append(Segment("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            new_segments.append(Segment("".join(b[j1:j2]), tag != "equal"))
    return old_segments, new_segments


@dataclass(frozen=True)
class FileChanges:
    added: list[str]
    removed: list[str]


def file_changes(old_meta: dict[str, Any] | None, new_meta: dict[str, Any]) -> FileChanges:
    """Which files (by name) a revision added and removed compared with the one before."""
    old = {entry["file"]: entry["name"] for entry in _files(old_meta or {})}
    new = {entry["file"]: entry["name"] for entry in _files(new_meta)}
    return FileChanges(
        added=[name for sha, name in new.items() if sha not in old],
        removed=[name for sha, name in old.items() if sha not in new],
    )


def _files(meta: dict[str, Any]) -> list[dict[str, Any]]:
    entries = meta.get("attachments") or []
    return [e for e in entries if isinstance(e, dict) and "file" in e and "name" in e]


def _show_field(name: str, value: Any) -> str:
    if name == "attachments" and isinstance(value, list):
        return ", ".join(_file_label(e) for e in value if isinstance(e, dict))
    return _show(value)


def _file_label(entry: dict[str, Any]) -> str:
    name, title = str(entry.get("name", "")), str(entry.get("title", ""))
    return name if title in ("", name) else f"{title} ({name})"


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_show(item)}" for key, item in value.items())
    return str(value)


FIELD_LABELS = {
    "title": _l("Title"),
    "slug": _l("Address (slug)"),
    "kind": _l("Kind"),
    "centre": _l("Centre"),
    "authors": _l("Authors"),
    "summary": _l("Summary"),
    "sectors": _l("Sectors"),
    "sizes": _l("Company sizes"),
    "topics": _l("Topics"),
    "tags": _l("Tags"),
    "visibility": _l("Visibility"),
    "status": _l("Status"),
    "published": _l("Published"),
    "updated": _l("Updated"),
    "review_due": _l("Review due"),
    "outcome": _l("Outcome"),
    "related": _l("Related practices"),
    "attachments": _l("Files"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))
