"""Searching: the query language, the visibility filter, facets, highlights, suggestions, similar.

Query language: words (all must match, ranked), ``"phrases"``, ``-exclude``, ``OR`` between words.
Whatever the input, parsing never fails: unknown syntax is read as words.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from whoosh import query as wq
from whoosh.searching import Searcher

from hub.auth.permissions import is_member, is_privileged
from hub.models import SynonymGroup, Tag, TagAlias
from hub.practices.visibility import listed_statuses
from hub.search.analysis import (
    NEGATIONS,
    RUN,
    WORD,
    fold,
    hyphenated,
    joined_term,
    phrase_terms,
    query_grams,
    stem,
    term,
)
from hub.search.arrays import FieldArrays, arrays_for
from hub.search.docsets import DocSet
from hub.search.documents import FACETS
from hub.search.index import SearchIndex
from hub.vocabulary import Status

MAX_QUERY = 200
MAX_CLAUSES = 12
FEW = 3  # fewer exact hits than this: also match typos
FIELD_BOOSTS = {"title": 5.0, "summary": 3.0, "meta": 2.0, "body": 1.0, "files": 0.5}
PARTS_BOOST = 0.3
COMPOUNDS = 64  # body words a part of a compound stands for at most (most frequent first)
SORTS = ("relevance", "newest")
SNIPPET_CHARS = 220
TOP_TAGS = 15
SHOWN_FACETS = ("sector", "size", "topic", "kind", "centre", "state", "outcome", "tag")
SYNONYM_TTL = 30.0
RESULTS_CACHED = 256  # search results kept per searcher (dropped whenever the index changes)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


# --- parsing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clause:
    """One word, phrase or run of words matching a synonym: alternative term sequences."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    phrase: bool = False
    negated: bool = False

    @property
    def exact(self) -> tuple[str, ...]:
        return self.alternatives[0]


@dataclass
class Parsed:
    groups: list[list[Clause]] = field(default_factory=list)  # AND of groups, OR inside a group
    excluded: list[Clause] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words typed, for suggestions

    @property
    def empty(self) -> bool:
        return not self.groups


def normalise(text: str) -> str:
    """The query as logged and shown: whitespace collapsed, bounded, control characters removed."""
    text = "".join(ch if ch.isprintable() else " " for ch in text or "")
    return " ".join(text.split())[:MAX_QUERY]


def parse(text: str, synonyms: Synonyms | None = None) -> Parsed:
    synonyms = synonyms or Synonyms()
    parsed = Parsed()
    raw: list[tuple[str, str, bool]] = []  # (kind, text, negated) with kind word|phrase|or
    for match in _TOKEN.finditer(normalise(text)):
        negated_phrase, phrase, word = match.groups()
        if phrase is not None:
            raw.append(("phrase", phrase, bool(negated_phrase)))
        elif word == "OR":
            raw.append(("or", word, False))
        elif word.startswith("-") and len(word) > 1:
            raw.append(("word", word[1:], True))
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
            clause = Clause(value, alternatives, phrase=kind == "phrase", negated=negated)
            if negated:
                parsed.excluded.append(clause)
            else:
                clauses.append(clause)
                if kind == "word":
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
    forms = [(joined,)] if joined else []
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


# --- synonyms -------------------------------------------------------------------------------------
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


def synonyms_for(index: SearchIndex, session: Session) -> Synonyms:
    """Synonyms from the database, cached briefly per process (coordinators edit them as data)."""
    cached = getattr(index, "synonyms", None)
    if cached is not None and time.monotonic() - cached[0] < SYNONYM_TTL:
        return cached[1]
    table = Synonyms.load(session)
    index.synonyms = (time.monotonic(), table)  # type: ignore[attr-defined]
    return table


# --- whoosh queries -------------------------------------------------------------------------------
Compounds = Callable[[str], list[str]]  # a word part → the longer body words containing it


def body_compounds(arrays: FieldArrays) -> Compounds:
    """The body's words containing a part, across the searcher's segments, most frequent first.

    The n-gram field covers title, summary and metadata only (n-grams of every body would multiply
    the index); the body's compounds come from each segment's vocabulary instead, bounded.
    """
    return lambda part: arrays.view.containing("body", part, COMPOUNDS)


class Expander:
    """Typo variants of a term from the index vocabulary: one automaton per word, cached per searcher."""

    MAX_VARIANTS = 8

    def __init__(self, searcher: Searcher, cache: dict[tuple[str, str], list[str]]) -> None:
        self.reader = searcher.reader()
        self.cache = cache

    def __call__(self, fieldname: str, text: str) -> list[str]:
        key = (fieldname, text)
        if key not in self.cache:
            distance = 1 if len(text) < 8 else 2
            found = set(self.reader.terms_within(fieldname, text, distance, prefix=1)) - {text}
            ranked = sorted(found, key=lambda t: -self.reader.doc_frequency(fieldname, t))
            self.cache[key] = ranked[: self.MAX_VARIANTS]
        return self.cache[key]


def _sequence_query(
    seq: tuple[str, ...], *, parts: bool, compounds: Compounds | None, expand: Expander | None
) -> wq.Query:
    if len(seq) > 1:
        return wq.Or([wq.Phrase(name, list(seq), boost=boost) for name, boost in FIELD_BOOSTS.items()])
    term = seq[0]
    subs: list[wq.Query] = [wq.Term(name, term, boost=boost) for name, boost in FIELD_BOOSTS.items()]
    if parts and len(term) >= 4:
        grams = [wq.Term("parts", g) for g in query_grams(term)]
        # One n-gram (a four-letter term) as a plain term: whoosh drops the boost of a one-part And.
        single = wq.Term("parts", term, boost=PARTS_BOOST)
        subs.append(wq.And(grams, boost=PARTS_BOOST) if len(grams) > 1 else single)
        if compounds is not None:  # the body's compounds with this part ("plan" → "schichtplan")
            subs.extend(wq.Term("body", word, boost=PARTS_BOOST) for word in compounds(term))
    if expand is not None and len(term) >= 5:
        variants = dict.fromkeys(expand("body", term) + expand("title", term))
        subs.extend(
            wq.Term(name, variant, boost=boost * 0.5)
            for variant in variants
            for name, boost in FIELD_BOOSTS.items()
        )
    return wq.Or(subs)


def _clause_query(clause: Clause, *, compounds: Compounds | None, expand: Expander | None) -> wq.Query:
    alternatives: list[wq.Query] = [
        _sequence_query(
            seq,
            parts=not clause.phrase and i == 0,
            compounds=compounds,
            expand=expand if i == 0 and not clause.phrase else None,
        )
        for i, seq in enumerate(clause.alternatives)
    ]
    word = fold(clause.text)
    if expand is not None and not clause.phrase and len(word) >= 5 and word.isalpha():
        # The typed word against whole, unstemmed words too: stems of typos are no stems.
        alternatives.extend(wq.Term("spell", variant, boost=0.5) for variant in expand("spell", word))
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def build_query(
    parsed: Parsed, *, compounds: Compounds | None = None, expand: Expander | None = None
) -> wq.Query:
    """The whoosh query; parts of compounds match the n-gram field and, with ``compounds``, the
    body's compound words; with ``expand``, words of ≥ 5 letters also match typo variants."""
    if parsed.empty:
        return wq.Every()
    groups = [wq.Or([_clause_query(c, compounds=compounds, expand=expand) for c in g]) for g in parsed.groups]
    positive: wq.Query = groups[0] if len(groups) == 1 else wq.And(groups)
    if parsed.excluded:
        negative = wq.Or([_clause_query(c, compounds=compounds, expand=None) for c in parsed.excluded])
        positive = wq.AndNot(positive, negative)
    return positive


# --- the search itself ----------------------------------------------------------------------------
@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    card: dict[str, Any]
    snippet: Markup
    title: Markup
    score: float
    file: str | None = None  # the snippet comes from this attached file (the words are only there)


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None
    fuzzy: bool
    duration_ms: float
    # The result as pages show it, by language and URL base (``hub.search.views``); it lives as long
    # as the result in the cache, and copies handed out share it.
    rendered: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search(
    index: SearchIndex, session: Session, user: Any, request: SearchRequest, *, facets: bool = True,
    highlight: bool = True,
) -> SearchResult:  # fmt: skip
    started = time.perf_counter()
    searcher = index.searcher()
    synonyms = synonyms_for(index, session)
    key = _cache_key(user, request, facets, highlight, synonyms)
    results: OrderedDict[tuple[Any, ...], SearchResult] = index.caches.setdefault("results", OrderedDict())
    if key in results:  # the same search by the same kind of reader since the index last changed
        results.move_to_end(key)
        return replace(results[key], duration_ms=(time.perf_counter() - started) * 1000)
    result = _search(index, searcher, user, request, synonyms, facets=facets, highlight=highlight)
    result.duration_ms = (time.perf_counter() - started) * 1000
    results[key] = result
    if len(results) > RESULTS_CACHED:
        results.popitem(last=False)
    return result


def _cache_key(
    user: Any, request: SearchRequest, facets: bool, highlight: bool, synonyms: Synonyms
) -> tuple[Any, ...]:
    """Who sees what (public, everything, or this member's view) and everything asked."""
    if not is_member(user):
        reader: Any = "public"
    elif is_privileged(user):
        reader = "all"
    else:
        reader = ("member", user.id, user.role, user.centre_id)
    filters = tuple(sorted((name, tuple(values)) for name, values in request.filters.items() if values))
    asked = (request.q, filters, tuple(request.statuses), request.sort, request.page, request.per_page)
    return (reader, *asked, facets, highlight, id(synonyms))


def _search(
    index: SearchIndex, searcher: Searcher, user: Any, request: SearchRequest, synonyms: Synonyms, *,
    facets: bool, highlight: bool,
) -> SearchResult:  # fmt: skip
    arrays = arrays_for(index, searcher)
    listed = arrays.listed(user, listed_statuses(user, request.statuses))
    parsed = parse(request.q, synonyms)

    newest = request.sort == "newest" or parsed.empty
    compounds = body_compounds(arrays)
    query = build_query(parsed, compounds=compounds)
    matched = arrays.matches(query) & listed
    selected = _apply_filters(arrays, matched, request.filters)
    fuzzy = False
    exact = selected
    if len(selected) < FEW and not parsed.empty:
        expand = Expander(searcher, index.caches.setdefault("variants", {}))
        fuzzy_query = build_query(parsed, compounds=compounds, expand=expand)
        fuzzy_matched = arrays.matches(fuzzy_query) & listed
        if len(fuzzy_matched) > len(matched):
            query, matched, fuzzy = fuzzy_query, fuzzy_matched, True
            selected = _apply_filters(arrays, matched, request.filters)

    page = max(1, request.page)
    start = (page - 1) * request.per_page
    if newest:
        chosen = [(doc, 0.0) for doc in arrays.newest(selected, start + request.per_page)[start:]]
    elif fuzzy:  # the few exact hits first: a typo's variants never push the word itself down
        first = arrays.ranker.top(query, exact, start + request.per_page)
        rest = arrays.ranker.top(query, selected - exact, start + request.per_page - len(first))
        chosen = (first + rest)[start:]
    else:
        chosen = arrays.ranker.top(query, selected, start + request.per_page)[start:]
    marks = _mark_terms(parsed) if highlight else None
    hits = [_hit(searcher, doc, score, marks) for doc, score in chosen]
    facet_counts = _facets(arrays, matched, request.filters) if facets else {}
    suggestion = suggest(searcher, arrays, parsed) if parsed.words else None
    return SearchResult(
        query=normalise(request.q),
        total=len(selected),
        page=page,
        per_page=request.per_page,
        hits=hits,
        facets=facet_counts,
        suggestion=suggestion,
        fuzzy=fuzzy,
        duration_ms=0.0,
    )


def _apply_filters(arrays: FieldArrays, docs: DocSet, filters: dict[str, list[str]]) -> DocSet:
    """Several values of one facet widen, facets combine."""
    for name, values in filters.items():
        if values:
            docs = docs & arrays.docs(name, values)
    return docs


def _hit(searcher: Searcher, doc: int, score: float, marks: Marks | None) -> Hit:
    stored = searcher.stored_fields(doc)
    card = stored["card"]
    text, file = stored.get("excerpt") or card["summary"], None
    if marks and not any(marks.spans(part) for part in (text, card["title"], card["summary"])):
        found = next((f for f in stored.get("file_excerpts") or [] if marks.spans(f[1])), None)
        if found:
            file, text = found
    return Hit(
        card=card,
        snippet=snippet(text, marks, card["summary"]),
        title=highlight_all(card["title"], marks),
        score=round(score, 4),
        file=file,
    )


def _facets(arrays: FieldArrays, matched: DocSet, filters: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Counts per value: the query, the user's view, every other facet's filter (own values widen)."""
    counts: dict[str, dict[str, int]] = {}
    for name in SHOWN_FACETS:
        base = _apply_filters(arrays, matched, {k: v for k, v in filters.items() if k != name})
        found = ((value, len(base & docs)) for value, docs in arrays.postings(name).items()) if base else ()
        ordered = sorted(((v, c) for v, c in found if c), key=lambda item: (-item[1], item[0]))
        if name == "tag":
            ordered = ordered[:TOP_TAGS]
        counts[name] = dict(ordered)
    return counts


# --- highlights -----------------------------------------------------------------------------------
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


def _mark_terms(parsed: Parsed) -> Marks:
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


def snippet(text: str, marks: Marks | None, fallback: str, width: int = SNIPPET_CHARS) -> Markup:
    """The window of ``text`` with the most query terms, escaped, terms in ``<mark>``."""
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
    return Markup(("… " if begin else "") + body + (" …" if end < len(text) else ""))  # noqa: S704


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > 0 else width] + " …"


# --- suggestions ----------------------------------------------------------------------------------
def suggest(searcher: Searcher, arrays: FieldArrays, parsed: Parsed) -> str | None:
    """ "Did you mean …?": unknown words replaced by the closest word everyone may see, spelled as
    a public practice writes it ("Gästemappe", not the index's "gaestemappe"); the other words as
    typed."""
    reader = searcher.reader()
    public = arrays.listed(None, (Status.PUBLISHED,))
    changed = False
    words: list[str] = []
    for word in parsed.words:
        folded = fold(word)
        replacement = word
        known = (
            len(folded) < 4
            or not folded.isalpha()
            or ("spell", folded) in reader
            or any((name, stem(folded)) in reader for name in ("body", "title", "summary", "meta"))
        )
        if not known:
            for candidate in searcher.suggest("spell", folded, limit=3, maxdist=2, prefix=1):
                found = arrays.terms("spell", candidate) & public
                if found:
                    replacement, changed = _as_written(searcher, found, candidate), True
                    break
        words.append(replacement)
    return " ".join(words) if changed else None


def _as_written(searcher: Searcher, docs: DocSet, folded: str) -> str:
    """``folded`` as the title or summary of one of ``docs`` spells it (else as it is: a tag)."""
    for doc in itertools.islice(docs, 3):
        card = searcher.stored_fields(doc)["card"]
        for word in WORD.findall(f"{card['title']} {card['summary']}"):
            if fold(word) == folded:
                return word
    return folded


# --- similar practices ----------------------------------------------------------------------------
def similar(index: SearchIndex, user: Any, practice_id: int, limit: int = 5) -> list[dict[str, Any]]:
    """Practices like this one (more like this on title, summary, tags and body) that ``user`` may see."""
    searcher = index.searcher()
    arrays = arrays_for(index, searcher)
    docnum = searcher.document_number(id=str(practice_id))
    if docnum is None:
        return []
    allowed = arrays.listed(user, (Status.PUBLISHED,)) - DocSet.of([docnum])
    if not allowed:
        return []
    stored = searcher.stored_fields(docnum)
    card = stored["card"]
    text = " ".join([card["title"], card["summary"], stored.get("excerpt") or ""])
    keywords = searcher.key_terms_from_text("body", text, numterms=12)
    if not keywords:
        return []
    query = wq.Or([wq.Term("body", word, boost=weight) for word, weight in keywords])
    return [searcher.stored_fields(doc)["card"] for doc, _ in arrays.ranker.top(query, allowed, limit)]


__all__ = [
    "FACETS",
    "Hit",
    "SearchRequest",
    "SearchResult",
    "Synonyms",
    "build_query",
    "normalise",
    "parse",
    "search",
    "similar",
    "snippet",
    "suggest",
]
