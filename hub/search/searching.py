"""The search itself: a request, as a reader, on an index → a page of hits, facet counts, a
suggestion. Exact matches first; with fewer than ``FEW`` of them, typo variants too; with fewer
than ``partial.FEW`` practices having every word, also those with most of them and compounds
found through their parts (``hub.search.partial``).
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from whoosh.searching import Searcher

from hub import counters
from hub.auth.permissions import is_member, is_privileged
from hub.search import partial
from hub.search.arrays import FieldArrays, arrays_for
from hub.search.building import Expand, Expander, apply_filters, body_compounds, build_query, readable
from hub.search.caches import Timed
from hub.search.decompound import Decompounder
from hub.search.docsets import DocSet
from hub.search.highlighting import Marks, highlight_all, mark_terms, snippet, with_parts
from hub.search.index import SearchIndex
from hub.search.parsing import Synonyms, normalise, parse
from hub.search.senses import Families, ranking_query
from hub.search.suggestions import suggest

FEW = 3  # fewer exact hits than this: also match typos
SORTS = ("relevance", "newest")
TOP_TAGS = 15
SHOWN_FACETS = ("sector", "size", "topic", "kind", "centre", "state", "outcome", "tag")
SYNONYM_TTL = 30.0


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    all_words: bool = False  # demand every word: no partial matches (compounds may match by parts)
    widen: bool = True  # False: every word as typed, never partial matches or compound parts


MATCH_ALL = "all"  # every hit has every word (whole, or a compound through its parts)
MATCH_PARTIAL = "partial"  # few have every word: those with most of them follow


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
    match: str = MATCH_ALL  # MATCH_ALL or MATCH_PARTIAL (then ``complete`` hits have every word)
    complete: int = 0
    # The result as pages show it, by language and URL base (``hub.search.views``); it lives as long
    # as the result in the cache, and copies handed out share it.
    rendered: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def synonyms_for(index: SearchIndex, session: Session) -> Synonyms:
    """Synonyms from the database, cached briefly per index (coordinators edit them as data)."""
    cached = index.synonyms
    if cached is not None and time.monotonic() - cached.made < SYNONYM_TTL:
        return cached.value
    table = Synonyms.load(session)
    index.synonyms = Timed(time.monotonic(), table)
    return table


def search(
    index: SearchIndex, session: Session, user: Any, request: SearchRequest, *, facets: bool = True,
    highlight: bool = True,
) -> SearchResult:
    started = time.perf_counter()
    searcher = index.searcher()
    synonyms = synonyms_for(index, session)
    key = _cache_key(user, request, facets, highlight, synonyms)
    results = index.caches.results
    cached = results.get(key)
    counters.search_cache(hit=cached is not None)
    if cached is not None:  # the same search by the same kind of reader since the index last changed
        return replace(cached, duration_ms=(time.perf_counter() - started) * 1000)
    result = _search(index, searcher, user, request, synonyms, facets=facets, highlight=highlight)
    result.duration_ms = (time.perf_counter() - started) * 1000
    return results.put(key, result)


def reader_key(user: Any) -> Hashable:
    """Who sees what: the public, everything, or this member's view."""
    if not is_member(user):
        return "public"
    if is_privileged(user):
        return "all"
    return ("member", user.id, user.role, user.centre_id)


def _cache_key(
    user: Any, request: SearchRequest, facets: bool, highlight: bool, synonyms: Synonyms
) -> tuple[Any, ...]:
    """Who sees what and everything asked."""
    reader = reader_key(user)
    filters = tuple(sorted((name, tuple(values)) for name, values in request.filters.items() if values))
    asked = (request.q, filters, tuple(request.statuses), request.sort, request.page, request.per_page,
             request.all_words, request.widen)
    return (reader, *asked, facets, highlight, id(synonyms))


def _search(
    index: SearchIndex, searcher: Searcher, user: Any, request: SearchRequest, synonyms: Synonyms, *,
    facets: bool, highlight: bool,
) -> SearchResult:
    arrays = arrays_for(index, searcher)
    listed = readable(arrays, user, request.statuses)
    parsed = parse(request.q, synonyms)

    newest = request.sort == "newest" or parsed.empty
    compounds = body_compounds(arrays)
    query = build_query(parsed, compounds=compounds)
    matched = arrays.matches(query) & listed
    selected = apply_filters(arrays, matched, request.filters)
    fuzzy = False
    exact = selected
    expand: Expand | None = None
    splitter = Decompounder(searcher, index.caches.splits, synonyms, arrays.view)
    if len(selected) < FEW and not parsed.empty:
        expand = Expander(searcher, index.caches.variants)
        if request.widen:
            expand = partial.KnownWords(expand, splitter, several=len(parsed.groups) > 1)
        fuzzy_query = build_query(parsed, compounds=compounds, expand=expand)
        fuzzy_matched = arrays.matches(fuzzy_query) & listed
        if len(fuzzy_matched) > len(matched):
            query, matched, fuzzy = fuzzy_query, fuzzy_matched, True
            selected = apply_filters(arrays, matched, request.filters)

    widened = None
    if request.widen and len(matched) < partial.FEW and not parsed.empty:
        units = partial.units(parsed, synonyms, splitter, compounds=compounds, expand=expand)
        if partial.widening(units):
            excluded = partial.excluded(parsed, compounds=compounds)
            widened = partial.widen(arrays, units, listed, excluded, all_words=request.all_words)
            matched = widened.docs | matched
            selected = apply_filters(arrays, matched, request.filters)

    page = max(1, request.page)
    start = (page - 1) * request.per_page
    if not newest and widened is None:  # the typed words' own forms first (Förderung above Forderung)
        # (partial matches rank by ``widened.query``, which has none of them); matching stays
        query = ranking_query(query, parsed.words, Families(arrays.view, index.caches.families))
    if newest:
        chosen = [(doc, 0.0) for doc in arrays.newest(selected, start + request.per_page)[start:]]
    elif widened is not None:
        chosen = widened.top(arrays.ranker, selected, start + request.per_page)[start:]
    elif fuzzy:  # the few exact hits first: a typo's variants never push the word itself down
        first = arrays.ranker.top(query, exact, start + request.per_page)
        rest = arrays.ranker.top(query, selected - exact, start + request.per_page - len(first))
        chosen = (first + rest)[start:]
    else:
        chosen = arrays.ranker.top(query, selected, start + request.per_page)[start:]
    marks = mark_terms(parsed) if highlight else None
    if marks is not None and widened is not None:
        marks = with_parts(marks, widened.marked)
    hits = [_hit(searcher, doc, score, marks) for doc, score in chosen]
    facet_counts = _facets(arrays, matched, request.filters) if facets else {}
    # "Meinten Sie …?" unless every word is a compound of known parts (no typo: found by its parts)
    typos = not request.widen or any(splitter.split(word) is None for word in parsed.words)
    suggestion = suggest(searcher, arrays, parsed, listed) if parsed.words and typos else None
    complete = widened.complete(selected) if widened is not None else len(selected)
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
        match=MATCH_PARTIAL if complete < len(selected) else MATCH_ALL,
        complete=complete,
    )


def _hit(searcher: Searcher, doc: int, score: float, marks: Marks | None) -> Hit:
    stored = searcher.stored_fields(doc)
    card = stored["card"]
    text, file = stored.get("excerpt") or card["summary"], None
    spans = marks.spans(text) if marks else []  # found once: the snippet is cut around them
    if marks and not spans and not any(marks.spans(part) for part in (card["title"], card["summary"])):
        found = next((f for f in stored.get("file_excerpts") or [] if marks.spans(f[1])), None)
        if found:
            file, text = found
            spans = marks.spans(text)
    return Hit(
        card=card,
        snippet=snippet(text, marks, card["summary"], spans=spans),
        title=highlight_all(card["title"], marks),
        score=round(score, 4),
        file=file,
    )


def _facets(arrays: FieldArrays, matched: DocSet, filters: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Counts per value: the query, the user's view, every other facet's filter (own values widen)."""
    counts: dict[str, dict[str, int]] = {}
    for name in SHOWN_FACETS:
        base = apply_filters(arrays, matched, {k: v for k, v in filters.items() if k != name})
        found = ((value, len(base & docs)) for value, docs in arrays.postings(name).items()) if base else ()
        ordered = sorted(((v, c) for v, c in found if c), key=lambda item: (-item[1], item[0]))
        if name == "tag":
            ordered = ordered[:TOP_TAGS]
        counts[name] = dict(ordered)
    return counts
