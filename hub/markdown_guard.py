"""Keeps Markdown rendering within a bound that does not depend on what the author typed.

Python-Markdown scans forward from every ``[`` for its ``]`` (and from every ``](`` for its ``)``),
to the end of the paragraph when there is none; every inline match (emphasis, link, escape, entity)
copies the rest of its paragraph; the HTML parser it uses scans from every ``<`` for the next ``>``.
A few thousand brackets in one paragraph thus cost seconds, 200,000 cost hours.

``bound`` estimates that work per paragraph in one linear pass. Paragraphs within the budget (every
normal text, by far) stay unchanged and render exactly as before. A paragraph over it is shown as
what it is, plain text: an escaped ``<p>`` that ``stash`` (Python-Markdown's HTML stash) keeps away
from every parser and puts back at the end; a ``<`` that cannot end before the next ``<`` becomes
``&lt;`` when the document's tag scanning is over budget.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

SCAN_FACTOR = 16  # characters the link parser may scan per character of a paragraph ...
SCAN_SLACK = 10_000  # ... plus this much, so short paragraphs are never touched
INLINE_BUDGET = 20_000_000  # inline markers × paragraph length: the copying work of inline matches

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_BLANK = re.compile(r"^[ \t]*$")
_HEADING = re.compile(r"^#{1,6}")
_LIST_ITEM = re.compile(r"^[ ]*(?:[*+-]|\d+\.)[ ]+")
_TABLE_SEPARATOR = re.compile(r"^[ ]*\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*$")
_BRACKET_TOKEN = re.compile(r"\\[\\\[\]()]|[\[\]()]")
_INLINE_MARKER = re.compile(r"[\[\]*_`<&\\!~]")


@dataclass(frozen=True)
class Bounded:
    text: str  # what to render
    literal: int  # paragraphs shown as plain text
    escaped: int  # "<" written as "&lt;"

    @property
    def changed(self) -> bool:
        return bool(self.literal or self.escaped)


def bound(text: str, stash: Callable[[str], str] | None = None) -> Bounded:
    """``text`` with every paragraph that would cost more than the budget turned into plain text.

    ``stash`` takes the HTML of such a paragraph and returns the placeholder to put in its place;
    without one, the HTML itself stands in the text (the parser then reads it as an HTML block).
    """
    out: list[str] = []
    masked: list[str] = []  # what the HTML parser sees: fenced code is taken out before it runs
    literal = 0
    for block, is_paragraph in _blocks(text):
        if is_paragraph and too_costly(block):
            block = _literal(block, stash)
            literal += 1
        out.append(block)
        masked.append(block if is_paragraph else " " * len(block))
    bounded = "".join(out)
    unclosable = _unclosable_tags("".join(masked))
    return Bounded(_replace(bounded, unclosable, "&lt;"), literal, len(unclosable))


def too_costly(paragraph: str) -> bool:
    """Whether rendering this block's inline markup would exceed the budget."""
    units = inline_units(paragraph)
    copying = sum(len(_INLINE_MARKER.findall(unit)) * len(unit) for unit in units)
    if copying > INLINE_BUDGET:
        return True
    if "[" not in paragraph:
        return False
    return sum(link_scan_cost(unit) for unit in units) > SCAN_FACTOR * len(paragraph) + SCAN_SLACK


def inline_units(block: str) -> list[str]:
    """The parts of a block Python-Markdown processes inline each on its own: the items of a list
    (a block that starts with one), the rows of a table, heading lines; else the whole block.
    Never splits what the parser keeps together (a list cannot interrupt a paragraph there)."""
    lines = block.splitlines(keepends=True)
    if len(lines) < 2:
        return [block]
    if "|" in lines[0] and _TABLE_SEPARATOR.match(lines[1]):
        return lines
    starts_unit = _LIST_ITEM.match if _LIST_ITEM.match(lines[0]) else None
    units: list[list[str]] = [[]]
    for line in lines:
        if _HEADING.match(line):
            units += [[line], []]
        elif starts_unit and starts_unit(line):
            units.append([line])
        else:
            units[-1].append(line)
    return ["".join(unit) for unit in units if unit]


def _blocks(text: str) -> list[tuple[str, bool]]:
    """The text cut at blank lines into (chunk, is a paragraph outside fenced code), losslessly.

    Fenced code counts as code only when it is closed, as Python-Markdown's fenced_code sees it.
    """
    lines = text.splitlines(keepends=True)
    closers: dict[str, list[int]] = {}  # fence → indexes of the lines that can close it
    for index, line in enumerate(lines):
        if line[:3] in {"```", "~~~"}:
            closers.setdefault(line.rstrip("\r\n").rstrip(" "), []).append(index)
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opener = _FENCE.match(line)
        close = _next_after(closers.get(opener.group(1), []), index) if opener else None
        if close is not None:
            chunks.append(("".join(current), True))
            chunks.append(("".join(lines[index : close + 1]), False))
            current, index = [], close + 1
            continue
        if _BLANK.match(line):
            chunks.append(("".join(current), True))
            chunks.append((line, False))
            current = []
        else:
            current.append(line)
        index += 1
    chunks.append(("".join(current), True))
    return [(chunk, is_paragraph) for chunk, is_paragraph in chunks if chunk]


def _next_after(indexes: list[int], index: int) -> int | None:
    position = bisect.bisect_right(indexes, index)
    return indexes[position] if position < len(indexes) else None


def _literal(paragraph: str, stash: Callable[[str], str] | None) -> str:
    """The paragraph as a ``<p>`` of its escaped text, or the stash's placeholder for it."""
    ending = paragraph[len(paragraph.rstrip("\n")) :]
    html_text = f"<p>{html.escape(' '.join(paragraph.split()), quote=False)}</p>"
    return (stash(html_text) if stash else html_text) + ending


def link_scan_cost(paragraph: str) -> int:
    """Characters Python-Markdown's link parsers scan in one paragraph (an upper estimate): from
    every ``[`` to its ``]`` (or the end), from every ``](`` to its ``)`` (or the end)."""
    length = len(paragraph)
    bracket_close: dict[int, int] = {}
    paren_close: dict[int, int] = {}
    brackets: list[int] = []
    parens: list[int] = []
    for token in _BRACKET_TOKEN.finditer(paragraph):
        char, pos = token.group(), token.start()
        if char == "[":
            bracket_close[pos] = length
            brackets.append(pos)
        elif char == "]" and brackets:
            bracket_close[brackets.pop()] = pos
        elif char == "(":
            paren_close[pos] = length
            parens.append(pos)
        elif char == ")" and parens:
            paren_close[parens.pop()] = pos
    cost = 0
    for start, end in bracket_close.items():
        cost += end - start
        if end + 1 in paren_close:
            cost += paren_close[end + 1] - end
    return cost


def tag_scan_cost(text: str) -> int:
    """Characters the HTML parser scans looking for the ``>`` of every ``<`` (an estimate)."""
    cost = 0
    next_close = len(text)
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if char == ">":
            next_close = i
        elif char == "<":
            cost += next_close - i
    return cost


def _unclosable_tags(text: str) -> list[int]:
    """When the tag scanning is over budget: the positions of every ``<`` followed by another ``<``
    before any ``>`` — it can never become a tag, it is text anyway."""
    if "<" not in text or tag_scan_cost(text) <= SCAN_FACTOR * len(text) + SCAN_SLACK:
        return []
    positions: list[int] = []
    pending: int | None = None  # the last "<" not yet closed
    for match in re.finditer(r"[<>]", text):
        if match.group() == ">":
            pending = None
            continue
        if pending is not None:
            positions.append(pending)
        pending = match.start()
    if pending is not None:
        positions.append(pending)
    return positions


def _replace(text: str, positions: list[int], replacement: str) -> str:
    """``text`` with the single characters at ``positions`` (ascending) replaced."""
    if not positions:
        return text
    out: list[str] = []
    last = 0
    for pos in positions:
        out.append(text[last:pos])
        out.append(replacement)
        last = pos + 1
    out.append(text[last:])
    return "".join(out)
