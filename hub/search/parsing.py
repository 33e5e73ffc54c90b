"""The query language: words (all must match, ranked), ``"phrases"``, ``-exclude``, ``+required``,
``OR`` between words, and synonyms (taxonomy ``synonyms`` and tag aliases) as alternative term
sequences. Question words and fillers (``hub.search.fillers``) are left out of a query with other
words; when all words find few practices, ``hub.search.partial`` also shows those with most of them,
where a ``+word`` and a ``"phrase"`` stay required.

Whatever the input, parsing never fails: unknown syntax is read as words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hub.models import SynonymGroup, Tag, TagAlias
from hub.search.analysis import NEGATIONS, RUN, WORD, fold, hyphenated, joined_term, phrase_terms, term
from hub.search.fillers import is_filler

MAX_QUERY = 200
MAX_CLAUSES = 12

_TOKEN = re.compile(r'([-+]?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Clause:
    """One word, phrase or run of words matching a synonym: alternative term sequences."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    phrase: bool = False
    negated: bool = False
    required: bool = False  # typed with a leading "+": never left out of a partial match

    @property
    def demanded(self) -> bool:
        """Whether partial matches must have it too: typed ``+word`` or as a ``"phrase"``."""
        return self.required or self.phrase

    @property
    def exact(self) -> tuple[str, ...]:
        return self.alternatives[0]


@dataclass
class Parsed:
    groups: list[list[Clause]] = field(default_factory=list)  # AND of groups, OR inside a group
    excluded: list[Clause] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words typed, for suggestions
    fillers: list[str] = field(default_factory=list)  # question words and fillers left out

    @property
    def empty(self) -> bool:
        return not self.groups


def normalise(text: str) -> str:
    """The query as logged and shown: whitespace collapsed, bounded, control characters removed."""
    text = "".join(ch if ch.isprintable() else " " for ch in text or "")
    return " ".join(text.split())[:MAX_QUERY]


def parse(text: str, synonyms: Synonyms | None = None) -> Parsed:
    """The query's clauses; question words and fillers are left out unless nothing else is left."""
    parsed = _parse(text, synonyms or Synonyms(), fillers=False)
    if parsed.empty and parsed.fillers:  # "Wie?" or "was tun": the fillers are what was asked
        parsed = _parse(text, synonyms or Synonyms(), fillers=True)
    return parsed


def _parse(text: str, synonyms: Synonyms, *, fillers: bool) -> Parsed:
    parsed = Parsed()
    raw: list[tuple[str, str, bool]] = []  # (kind, text, negated) with kind word|phrase|or|required
    for match in _TOKEN.finditer(normalise(text)):
        sign, phrase, word = match.groups()
        if phrase is not None:
            raw.append(("phrase", phrase, sign == "-"))
        elif word == "OR":
            raw.append(("or", word, False))
        elif word.startswith("-") and len(word) > 1:
            raw.append(("word", word[1:], True))
        elif word.startswith("+") and len(word) > 1 and WORD.search(word):
            raw.append(("required", word[1:], False))
        elif not fillers and is_filler(word.strip(",.;:!?()")):
            parsed.fillers.append(word)
        else:
            raw.append(("word", word, False))
    raw = _join_letters(raw)
    clauses: list[Clause | str] = []
    index = 0
    while index < len(raw) and len(clauses) < MAX_CLAUSES * 2:
        kind, value, negated = raw[index]
        if kind == "or":
            clauses.append("OR")
            index += 1
            continue
        if kind == "word" and fold(value) in NEGATIONS:  # "Cloud ohne Notfallplan": only phrases keep them
            index += 1
            continue
        if kind == "word" and not negated:
            span, clause = synonyms.longest_match([w for k, w, n in raw[index:] if k == "word" and not n][:4])
            if clause is not None and all(k == "word" and not n for k, _, n in raw[index : index + span]):
                parsed.words.extend(w for _, w, _ in raw[index : index + span])
                clauses.append(clause)
                index += span
                continue
        alternatives = _alternatives(value, synonyms if not negated else None)
        if alternatives:
            phrase, required = kind == "phrase", kind == "required"
            clause = Clause(value, alternatives, phrase=phrase, negated=negated, required=required)
            if negated:
                parsed.excluded.append(clause)
            else:
                clauses.append(clause)
                if not phrase:
                    parsed.words.append(value)
        index += 1
    parsed.groups = _or_groups(clauses)[:MAX_CLAUSES]
    parsed.excluded = parsed.excluded[:MAX_CLAUSES]
    return parsed


def _join_letters(raw: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    """A single letter before a word is the first part of a hyphenated word typed with a space
    ("E Mail", "E Bike", "U Bahn"): the two are read as one ("E-Mail")."""
    joined: list[tuple[str, str, bool]] = []
    for kind, value, negated in raw:
        if joined and kind == "word" and not negated:
            last_kind, last, last_negated = joined[-1]
            if last_kind == "word" and len(last) == 1 and last.isalpha() and WORD.fullmatch(value):
                joined[-1] = (last_kind, f"{last}-{value}", last_negated)
                continue
        joined.append((kind, value, negated))
    return joined


def _forms(text: str) -> list[tuple[str, ...]]:
    """The term sequences ``text`` is searched as: a hyphenated word written together (one term)
    first, then as its parts (a phrase: "E-Mail" → email; e mail); other text as its terms."""
    runs = [run.group() for run in RUN.finditer(text)]
    parts = tuple(phrase_terms(text))
    if len(runs) != 1 or not hyphenated(runs[0]):
        return [parts] if parts else []
    joined = joined_term(runs[0])
    forms: list[tuple[str, ...]] = [(joined,)] if joined else []
    if len(parts) > 1:
        forms.append(parts)
    words = WORD.findall(runs[0])
    if len(words) > 2:  # "E-Mail-Marketing" also as "Email Marketing" and "E Mailmarketing"
        for i in range(len(words) - 1):
            merged = [*words[:i], words[i] + words[i + 1], *words[i + 2 :]]
            form = tuple(t for w in merged if (t := term(w)) is not None)
            if len(form) > 1:
                forms.append(form)
    return list(dict.fromkeys(forms))


def _alternatives(text: str, synonyms: Synonyms | None) -> tuple[tuple[str, ...], ...]:
    """A word's or phrase's alternative term sequences, its own first, then synonyms (when given)."""
    forms = _forms(text)  # a quoted hyphenated word too: written together or as its parts
    found = list(forms)
    if synonyms is not None:
        for form in forms:
            found.extend(synonyms.expand(form)[1:])
    return tuple(dict.fromkeys(found))


def _or_groups(items: list[Clause | str]) -> list[list[Clause]]:
    groups: list[list[Clause]] = []
    joined = False
    for item in items:
        if item == "OR":
            joined = bool(groups)
            continue
        assert isinstance(item, Clause)
        if joined:
            groups[-1].append(item)
        else:
            groups.append([item])
        joined = False
    return groups


class Synonyms:
    """Groups of equivalent terms (taxonomy ``synonyms``) and tag aliases, as analysed term sequences."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self.table: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for group in groups:
            analysed = {form for term in group for form in _forms(term)}
            for key in analysed:
                self.table.setdefault(key, set()).update(analysed)

    def expand(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        others = sorted(self.table.get(key, set()) - {key})
        return (key, *others)

    def longest_match(self, words: list[str]) -> tuple[int, Clause | None]:
        """The longest run of ``words`` (≥ 2) that is a multi-word synonym key."""
        for size in range(min(len(words), 4), 1, -1):
            key = tuple(t for w in words[:size] for t in phrase_terms(w))
            if key in self.table:
                text = " ".join(words[:size])
                return size, Clause(text, self.expand(key), phrase=True)
        return 0, None

    @classmethod
    def load(cls, session: Session) -> Synonyms:
        groups: list[list[str]] = [list(g) for g in session.scalars(sa.select(SynonymGroup.terms))]
        rows = session.execute(sa.select(TagAlias.alias, Tag.name).join(Tag, Tag.id == TagAlias.tag_id))
        groups.extend([alias, name] for alias, name in rows)  # "e-learning": elearning; e learning
        return cls(groups)
