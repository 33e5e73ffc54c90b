"""No dead ends: when all words find few practices, also those with most of them (issue 16, item 1),
and compounds of the query found through their parts (item 2).

A search first asks for every word (``hub.search.building.build_query``). When that finds fewer
than ``FEW`` practices the reader may see (before filters, so that facet counts stay what a click
gives), the search widens:

- each word (an ``OR`` group counts as one) is a *unit* of coverage. A practice covers a unit when
  it has the word (its forms, synonyms, typo variants when those were asked for), or — for a
  compound typed in the query — through its parts (``hub.search.decompound``): each part found
  covers its share ("Rechnungseingangsbuch" with Rechnung and Eingang but no Buch: two thirds);
- practices covering at least half the units are shown (fewer: any unit at all, rather than
  nothing), ranked by coverage, then by how many units they have as whole words (whole words rank
  above parts), then by relevance. Those with every word therefore come first.
- a ``+word``, a ``"phrase"`` and, with ``all_words``, every unit stay required (parts of a
  compound count: "every word" is every word, found whole or through its parts); ``-word`` still
  excludes. Filters and visibility apply as always: totals and facet counts are exact for the
  practices shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from hub.search.analysis import WORD, fold, term
from hub.search.arrays import FieldArrays
from hub.search.building import FIELD_BOOSTS, Compounds, Expand, Expander, clause_query, sequence_query
from hub.search.decompound import Decompounder, Split
from hub.search.docsets import DocSet
from hub.search.parsing import Clause, Parsed, Synonyms
from hub.search.ranking import Ranker

FEW = 10  # fewer practices with every word than this (in the reader's view): widen the search
MOST = 0.5  # the share of the units a partial match covers at least
PART_BOOST = 0.4  # a compound's part, against the whole word (1.0)
RESPELLED_BOOST = 0.8  # the compound respelled with a synonym part ("Photovoltaikanlage" for "Solaranlage")
MIN_HYPHEN_PART = 2
MAX_SPLITS = 4  # compounds of one query matched through their parts at most (each adds many terms)
# Scored one by one (binary search in each posting list) up to this share of the index; more
# candidates are scored as the whole index is, a posting list at a time.
CANDIDATES = 0.2


@dataclass
class Unit:
    """One word (or ``OR`` group) of the query as coverage counts it."""

    whole: wq.Query  # the word itself (forms, synonyms, compounds respelled with synonyms)
    splits: list[list[wq.Query]]  # per compound of the group: one query per part
    demanded: bool  # "+word" or a phrase: partial matches must cover it too
    marked: tuple[str, ...] = ()  # the terms of its parts and their synonyms, for highlights


@dataclass
class Widened:
    """The candidates of a widened search (before filters) and what orders them."""

    docs: DocSet
    coverage: np.ndarray  # per document: units covered, parts as shares
    whole: np.ndarray  # per document: units found as whole words
    query: wq.Query  # the relevance of every unit and part
    units: int
    marked: tuple[str, ...] = ()  # parts of compounds (and their synonyms) to highlight

    def complete(self, docs: DocSet) -> int:
        """How many of ``docs`` cover every unit."""
        if not docs:
            return 0
        mask = docs.mask(len(self.coverage))
        return int(np.count_nonzero(self.coverage[mask] >= self.units - 1e-6))

    def top(self, ranker: Ranker, selected: DocSet, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best of ``selected``: coverage, then whole words, then relevance. Only the
        documents that can reach the page by coverage and whole words are scored (``CANDIDATES``)."""
        if limit <= 0 or not selected:
            return []
        docs = np.flatnonzero(selected.mask(len(self.coverage)))
        coverage = np.round(self.coverage[docs], 3)
        whole = self.whole[docs]
        if len(docs) > limit:  # those at least as good as the limit-th by (coverage, whole words)
            thousandths = np.rint(coverage.astype(np.float64) * 1000).astype(np.int64)
            tiers = thousandths * (int(whole.max()) + 1) + whole
            keep = tiers >= np.partition(tiers, len(docs) - limit)[len(docs) - limit]
            docs, coverage, whole = docs[keep], coverage[keep], whole[keep]
        if len(docs) <= len(self.coverage) * CANDIDATES:
            chosen = ranker.scores_at(self.query, docs)
        else:
            chosen = ranker.scores(self.query)[docs]
        order = np.lexsort((docs, -chosen, -whole, -coverage))[:limit]
        return [(int(docs[i]), float(chosen[i])) for i in order]


class KnownWords:
    """Typo variants only for words that may be typos: never for a compound of known parts, and in
    queries of several words never for a word the index knows (practices lacking a word are found
    by widening instead; the typo automata of every word of a long question cost more than the
    rest of the search)."""

    def __init__(self, expand: Expander, splitter: Decompounder, *, several: bool) -> None:
        self.expand = expand
        self.splitter = splitter
        self.several = several

    def __call__(self, fieldname: str, text: str) -> list[str]:
        analysed = term(text) if fieldname == "spell" else text  # "spell" holds whole, unstemmed words
        if self.several and analysed and self.splitter.known(analysed):
            return []
        if self.splitter.split(text) is not None:
            return []
        return self.expand(fieldname, text)


def units(
    parsed: Parsed, synonyms: Synonyms, splitter: Decompounder, *, compounds: Compounds | None,
    expand: Expand | None,
) -> list[Unit]:
    """The query's groups as units of coverage, compounds with their parts."""
    found: list[Unit] = []
    splits_made = 0
    for group in parsed.groups:
        wholes: list[wq.Query] = []
        splits: list[list[wq.Query]] = []
        marked: list[str] = []
        for clause in group:
            wholes.append(clause_query(clause, compounds=compounds, expand=expand))
            split = compound_split(clause, splitter) if splits_made < MAX_SPLITS else None
            if split is None:
                continue
            splits_made += 1
            alternatives = [synonyms.expand((t,)) for t in split.terms]
            marked.extend(t for alts in alternatives for alt in alts for t in alt)
            one_word = [tuple(a[0] for a in alts[1:] if len(a) == 1) for alts in alternatives]
            wholes.extend(
                wq.Term(name, respelled, boost=boost * RESPELLED_BOOST)
                for respelled in splitter.respelled(split, one_word)
                for name, boost in FIELD_BOOSTS.items()
            )
            splits.append([
                wq.Or([sequence_query(alt, parts=True, compounds=compounds, expand=None) for alt in alts])
                for alts in alternatives
            ])
        whole = wholes[0] if len(wholes) == 1 else wq.Or(wholes)
        found.append(Unit(whole, splits, any(clause.demanded for clause in group), tuple(marked)))
    return found


def excluded(parsed: Parsed, *, compounds: Compounds | None) -> wq.Query | None:
    """What ``-word`` excludes, as the all-words query excludes it."""
    if not parsed.excluded:
        return None
    return wq.Or([clause_query(c, compounds=compounds, expand=None) for c in parsed.excluded])


def compound_split(clause: Clause, splitter: Decompounder) -> Split | None:
    """A clause's compound parts: a hyphenated word's own ("PV-Anlage"), else the vocabulary's."""
    if clause.phrase or clause.negated:
        return None
    words = WORD.findall(clause.text)
    if len(words) > 1 and "".join(words).isalpha() and " " not in clause.text:  # a hyphenated word
        if min(len(w) for w in words) < MIN_HYPHEN_PART:
            return None
        return Split(fold("".join(words)), tuple(fold(w) for w in words))
    if len(words) != 1:
        return None
    return splitter.split(words[0])


def widen(
    arrays: FieldArrays, found: list[Unit], listed: DocSet, excluded: wq.Query | None, *, all_words: bool
) -> Widened:
    """Candidates covering most units (``MOST``; else any), in ``listed``, without ``excluded``."""
    size = arrays.view.size
    coverage = np.zeros(size, dtype=np.float32)
    whole_count = np.zeros(size, dtype=np.int16)
    allowed = listed.mask(size)
    if excluded is not None:
        allowed &= ~arrays.matches(excluded).mask(size)
    scoring: list[wq.Query] = []
    for unit in found:
        whole = arrays.matches(unit.whole).mask(size)
        covered = whole.astype(np.float32)
        whole_count += whole
        scoring.append(unit.whole)
        for parts in unit.splits:
            shares = np.zeros(size, dtype=np.float32)
            for part in parts:
                shares += arrays.matches(part).mask(size)
            covered = np.maximum(covered, shares / len(parts))
            scoring.append(wq.Or(parts, boost=PART_BOOST))
        coverage += covered
        if unit.demanded or all_words:
            allowed &= covered >= 1 - 1e-6
    most = len(found) * MOST if len(found) > 1 else 0.6  # one compound: most of its parts
    chosen = allowed & (coverage >= most - 1e-6)
    if not chosen.any():
        chosen = allowed & (coverage > 0)
    marked = tuple(dict.fromkeys(t for unit in found for t in unit.marked))
    return Widened(_docset(chosen), coverage, whole_count, wq.Or(scoring), len(found), marked)


def widening(found: list[Unit]) -> bool:
    """Whether widening can find more than every word did: several units or a compound."""
    return len(found) > 1 or any(unit.splits for unit in found)


def _docset(mask: np.ndarray) -> DocSet:
    if not mask.any():
        return DocSet()
    return DocSet(int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little"))


__all__ = ["FEW", "KnownWords", "Unit", "Widened", "compound_split", "excluded", "units", "widen", "widening"]
