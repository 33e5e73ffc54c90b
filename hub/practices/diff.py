"""Readable differences between two revisions: changed metadata fields and a line diff of the body,
with changed words marked inside changed lines.

The cost is bounded whatever the texts: lines and words are compared with Myers' O(ND) algorithm
under a work budget (``bounded_opcodes``); a line diff over its budget shows the differing middle as
replaced, a word diff over its budget (or over ``WORD_CAP`` words) shows the whole line as changed.
All word diffs of one comparison share ``WORD_BUDGET``. Diffs of stored revisions are cached per pair.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from flask_babel import lazy_gettext as _l

from hub.lru import SizedLRU
from hub.models import Revision

LINE_BUDGET = 300_000  # Myers steps for the line diff of one comparison
WORD_BUDGET = 300_000  # Myers steps for all word diffs of one comparison together
MAX_LINES = 3_000  # diff lines shown; the rest of a larger difference is only counted
WORD_CAP = 3_000  # tokens (words, spaces, punctuation) per line beyond which no word diff is tried
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

Opcode = tuple[str, int, int, int, int]


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

    @property
    def size(self) -> int:
        return sum(len(segment.text) for segment in self.segments) + 1


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class RevisionDiff:
    fields: list[FieldChange]
    body: list[Line]
    hidden_lines: int = 0  # changed or context lines beyond MAX_LINES, not shown

    @property
    def empty(self) -> bool:
        return not self.fields and not any(line.op != "equal" for line in self.body)

    @property
    def size(self) -> int:
        return sum(line.size for line in self.body) + sum(len(f.old) + len(f.new) for f in self.fields)


_cache: SizedLRU[RevisionDiff] = SizedLRU(16_000_000, lambda diff: diff.size, max_entries=512)


def diff_revisions(old: Revision, new: Revision, context: int = 3) -> RevisionDiff:
    return diff_data(dict(old.data), old.body, dict(new.data), new.body, context)


def diff_data(
    old_meta: dict[str, Any], old_body: str, new_meta: dict[str, Any], new_body: str, context: int = 3
) -> RevisionDiff:
    """Changed fields and the body diff (cached by content: stored revisions never change)."""
    key = hashlib.blake2b(
        json.dumps([old_meta, old_body, new_meta, new_body, context], sort_keys=True, default=str).encode(),
        digest_size=20,
    ).digest()
    return _cache.get_or_compute(key, lambda: _diff(old_meta, old_body, new_meta, new_body, context))


def _diff(
    old_meta: dict[str, Any], old_body: str, new_meta: dict[str, Any], new_body: str, context: int
) -> RevisionDiff:
    names = list(dict.fromkeys([*old_meta, *new_meta]))
    fields = [
        FieldChange(name, _show_field(name, old_meta.get(name)), _show_field(name, new_meta.get(name)))
        for name in names
        if old_meta.get(name) != new_meta.get(name)
    ]
    return RevisionDiff(fields, *_body(old_body, new_body, context))


class Budget:
    """Work left for Myers' algorithm; ``exhausted`` tells whether a comparison ran out of it."""

    def __init__(self, steps: int) -> None:
        self.left = steps
        self.exhausted = False


def body_diff(old: str, new: str, context: int = 3) -> list[Line]:
    """Changed lines with ``context`` unchanged lines around them; an empty ``op`` line marks a gap.

    At most ``MAX_LINES`` lines (``diff_data`` tells how many more there are).
    """
    return _body(old, new, context)[0]


def _body(old: str, new: str, context: int) -> tuple[list[Line], int]:
    a, b = (old or "").splitlines(), (new or "").splitlines()
    groups = _grouped(bounded_opcodes(a, b, Budget(LINE_BUDGET)), context)
    shown = list(islice(_lines(a, b, groups), MAX_LINES))
    total = sum(i2 - i1 if tag == "equal" else i2 - i1 + j2 - j1 for g in groups for tag, i1, i2, j1, j2 in g)
    return shown, total + len(groups) - 1 - len(shown) if groups else 0


def _lines(a: list[str], b: list[str], groups: list[list[Opcode]]) -> Iterator[Line]:
    words = Budget(WORD_BUDGET)
    for number, group in enumerate(groups):
        if number:
            yield Line("gap", None, None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    yield Line("equal", i1 + k + 1, j1 + k + 1, [Segment(a[i1 + k])])
                continue
            old_part, new_part = a[i1:i2], b[j1:j2]
            if tag == "replace" and len(old_part) == len(new_part):
                for k, (x, y) in enumerate(zip(old_part, new_part, strict=True)):
                    old_segments, new_segments = word_diff(x, y, words)
                    yield Line("delete", i1 + k + 1, None, old_segments)
                    yield Line("insert", None, j1 + k + 1, new_segments)
                continue
            for k, x in enumerate(old_part):
                yield Line("delete", i1 + k + 1, None, [Segment(x, True)])
            for k, y in enumerate(new_part):
                yield Line("insert", None, j1 + k + 1, [Segment(y, True)])


def word_diff(old: str, new: str, budget: Budget) -> tuple[list[Segment], list[Segment]]:
    """Changed words marked in a pair of changed lines; the whole lines when over the cap or budget."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    whole = ([Segment(old, True)], [Segment(new, True)])
    if len(a) > WORD_CAP or len(b) > WORD_CAP:
        return whole
    opcodes = bounded_opcodes(a, b, budget)
    if budget.exhausted:
        return whole
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes:
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


def bounded_opcodes(a: list[str], b: list[str], budget: Budget) -> list[Opcode]:
    """difflib-style opcodes of a shortest edit script (Myers), within ``budget`` steps.

    Common ends are matched first for free. When the middle would need more steps than are left,
    the budget is marked exhausted and the middle is one ``replace``: never wrong, only coarser.
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    middle = _myers(a[start:end_a], b[start:end_b], budget)
    if middle is None:
        budget.exhausted = True
        middle = [("replace", 0, end_a - start, 0, end_b - start)] if end_a > start or end_b > start else []
    opcodes: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    opcodes += [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle]
    if end_a < len(a):
        opcodes.append(("equal", end_a, len(a), end_b, len(b)))
    return _merge(opcodes)


def _myers(a: list[str], b: list[str], budget: Budget) -> list[Opcode] | None:
    """Myers' greedy shortest edit script; None when it would take more steps than the budget."""
    n, m = len(a), len(b)
    if not n or not m:
        return [("replace" if n and m else "delete" if n else "insert", 0, n, 0, m)] if n or m else []
    offset = n + m
    v = [0] * (2 * offset + 2)
    trace: list[list[int]] = []
    for d in range(offset + 1):
        budget.left -= 2 * d + 1
        if budget.left < 0:
            return None
        trace.append(v[offset - d : offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            run = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            budget.left -= x - run
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b, offset)
    return None


def _backtrack(trace: list[list[int]], a: list[str], b: list[str], offset: int) -> list[Opcode]:
    """Walk the saved frontiers back from the end: the edit script as opcodes."""
    x, y = len(a), len(b)
    steps: list[Opcode] = []
    for d in range(len(trace) - 1, -1, -1):
        frontier = trace[d]  # v[offset - d .. offset + d + 1] before step d

        def at(k: int, frontier: list[int] = frontier, d: int = d) -> int:
            return frontier[k + d]

        k = x - y
        if d == 0:
            prev_k = 0
        elif k == -d or (k != d and at(k - 1) < at(k + 1)):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = at(prev_k) if d else 0
        prev_y = prev_x - prev_k
        if d == 0:
            prev_x = prev_y = 0
        mid_x, mid_y = (prev_x, prev_y + 1) if prev_k == k + 1 else (prev_x + 1, prev_y)
        if d == 0:
            mid_x, mid_y = 0, 0
        if x > mid_x:
            steps.append(("equal", mid_x, x, mid_y, y))
        if d:
            if prev_k == k + 1:
                steps.append(("insert", prev_x, prev_x, prev_y, mid_y))
            else:
                steps.append(("delete", prev_x, mid_x, prev_y, prev_y))
        x, y = prev_x, prev_y
    steps.reverse()
    return _merge(steps)


def _merge(opcodes: list[Opcode]) -> list[Opcode]:
    """Adjacent opcodes joined; a delete next to an insert becomes a replace (as difflib's)."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 == i2 and j1 == j2:
            continue
        if merged:
            ptag, pi1, _pi2, pj1, _pj2 = merged[-1]
            if ptag == tag or (ptag != "equal" and tag != "equal"):
                merged[-1] = (tag if ptag == tag else "replace", pi1, i2, pj1, j2)
                continue
        merged.append((tag, i1, i2, j1, j2))
    return merged


def _grouped(opcodes: list[Opcode], context: int) -> list[list[Opcode]]:
    """difflib's ``get_grouped_opcodes``: changes with ``context`` equal lines around them."""
    codes = list(opcodes) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


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
