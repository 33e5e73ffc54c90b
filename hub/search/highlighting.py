"""Highlights: the query's terms marked in titles, the best window of the text as a snippet.

The only markup in a hit is ``<mark>``; everything else is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from hub.search.analysis import NEGATIONS, RUN, WORD, term
from hub.search.parsing import Parsed

SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Marks:
    """What to highlight: the query's terms, and parts of compounds (n-gram matches)."""

    terms: frozenset[str]
    parts: tuple[str, ...]
    decided: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict, compare=False)  # spans

    def hits(self, token: str) -> bool:
        return token in self.terms or any(part in token for part in self.parts)

    def marked(self, word: str) -> bool:
        analysed = term(word)
        return analysed is not None and self.hits(analysed)

    def _run_spans(self, run: str) -> tuple[tuple[int, int], ...]:
        """The marked spans inside one word or hyphenated word: a hyphenated word whole when it
        matches written together ("E-Mail" for "Email"), else its matching parts."""
        if WORD.fullmatch(run):
            return ((0, len(run)),) if self.marked(run) else ()
        if self.marked("".join(WORD.findall(run))):
            return ((0, len(run)),)
        return tuple(m.span() for m in WORD.finditer(run) if self.marked(m.group()))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the marked words of ``text`` are (each distinct word is analysed once per search)."""
        decided = self.decided
        spans: list[tuple[int, int]] = []
        for match in RUN.finditer(text):
            run = match.group()
            found = decided.get(run)
            if found is None:
                found = decided[run] = self._run_spans(run)
            if found:
                start = match.start()
                spans.extend((start + a, start + b) for a, b in found)
        return spans


_NEGATION_TERMS = frozenset(term(word) for word in NEGATIONS)


def mark_terms(parsed: Parsed) -> Marks:
    found: set[str] = set()
    parts: set[str] = set()
    for group in parsed.groups:
        for clause in group:
            for seq in clause.alternatives:
                # not the "e" of "E-Mail" (all "E-" would light up), nor every "nicht" of a phrase
                found.update(t for t in seq if len(t) > 1 and t not in _NEGATION_TERMS)
            if not clause.phrase:
                parts.update(t for t in clause.exact if len(t) >= 4)
    return Marks(frozenset(found), tuple(sorted(parts)))


def with_parts(marks: Marks, terms: tuple[str, ...]) -> Marks:
    """``marks`` and the terms of a query compound's parts (``hub.search.partial``): whole words,
    and inside longer words from four letters on."""
    if not terms:
        return marks
    parts = set(marks.parts) | {t for t in terms if len(t) >= 4}
    return Marks(marks.terms | {t for t in terms if len(t) > 1}, tuple(sorted(parts)))


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with ``<mark>`` around ``spans``: the only markup in the result."""
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))  # noqa: S704 - every piece is escaped above


def highlight_all(text: str, marks: Marks | None) -> Markup:
    if not marks:
        return escape(text)
    return _marked(text, marks.spans(text))


def snippet(
    text: str,
    marks: Marks | None,
    fallback: str,
    width: int = SNIPPET_CHARS,
    spans: list[tuple[int, int]] | None = None,
) -> Markup:
    """The window of ``text`` with the most query terms, escaped, terms in ``<mark>``; ``spans``:
    ``marks.spans(text)`` when the caller has them already."""
    if spans is None:
        spans = marks.spans(text) if marks else []
    if not spans:
        return escape(_shorten(fallback, width))
    best, best_count = 0, 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best, best_count = i, count
    begin = max(0, spans[best][0] - 40)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < spans[best][0] else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > spans[best][1] else end
    inside = [(s - begin, e - begin) for s, e in spans if s >= begin and e <= end]
    body = _marked(text[begin:end], inside)
    return Markup(("… " if begin else "") + body + (" …" if end < len(text) else ""))  # noqa: S704 - escaped by _marked


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > 0 else width] + " …"
