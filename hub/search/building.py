"""Building what is searched: the whoosh query for a parsed text (fields, boosts, parts of compounds,
typo variants), the filters, and the reader's visibility as a set of documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from hub.lru import SizedLRU
from hub.search.analysis import fold, query_grams
from hub.search.arrays import FieldArrays
from hub.search.docsets import DocSet
from hub.search.parsing import Clause, Parsed
from hub.visibility import listed_statuses

FIELD_BOOSTS = {"title": 5.0, "summary": 3.0, "meta": 2.0, "body": 1.0, "files": 0.5}
PARTS_BOOST = 0.3
COMPOUNDS = 64  # body words a part of a compound stands for at most (most frequent first)

Compounds = Callable[[str], list[str]]  # a word part → the longer body words containing it


def body_compounds(arrays: FieldArrays) -> Compounds:
    """The body's words containing a part, across the searcher's segments, most frequent first.

    The n-gram field covers title, summary and metadata only (n-grams of every body would multiply
    the index); the body's compounds come from each segment's vocabulary instead, bounded.
    """
    return lambda part: arrays.view.containing("body", part, COMPOUNDS)


# typo variants of a word in a field: an Expander, or partial.KnownWords narrowing one
Expand = Callable[[str, str], list[str]]


class Expander:
    """Typo variants of a term from the index vocabulary: one automaton per word, cached per searcher."""

    MAX_VARIANTS = 8

    def __init__(self, searcher: Searcher, cache: SizedLRU[list[str]]) -> None:
        self.reader = searcher.reader()
        self.cache = cache  # bounded: a stream of made-up words cannot grow it (``VARIANTS_CACHED``)

    def __call__(self, fieldname: str, text: str) -> list[str]:
        return self.cache.get_or_compute((fieldname, text), lambda: self._variants(fieldname, text))

    def _variants(self, fieldname: str, text: str) -> list[str]:
        distance = 1 if len(text) < 8 else 2
        found = set(self.reader.terms_within(fieldname, text, distance, prefix=1)) - {text}
        ranked = sorted(found, key=lambda t: -self.reader.doc_frequency(fieldname, t))
        return ranked[: self.MAX_VARIANTS]


def _sequence_query(
    seq: tuple[str, ...], *, parts: bool, compounds: Compounds | None, expand: Expand | None
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


def _clause_query(clause: Clause, *, compounds: Compounds | None, expand: Expand | None) -> wq.Query:
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
    parsed: Parsed, *, compounds: Compounds | None = None, expand: Expand | None = None
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


def readable(arrays: FieldArrays, user: Any, statuses: list[str]) -> DocSet:
    """What ``user`` may find: listed for them (the lists' rule) in the statuses asked for."""
    return arrays.listed(user, listed_statuses(user, statuses))


def apply_filters(arrays: FieldArrays, docs: DocSet, filters: dict[str, list[str]]) -> DocSet:
    """Several values of one facet widen, facets combine."""
    for name, values in filters.items():
        if values:
            docs = docs & arrays.docs(name, values)
    return docs


# For ``hub.search.partial``: one clause, one term sequence, as the all-words query builds them.
clause_query = _clause_query
sequence_query = _sequence_query
