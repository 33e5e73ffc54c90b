"""Ranking: whoosh's BM25F formula over cached postings, for every candidate at once (numpy).

Scores equal what whoosh's own matchers give the same query tree — a term scores
``boost × idf × tf·(K1+1) / (tf + K1·(1 − B + B·length/average))``, ``Or`` and ``And`` add up
their matching parts, a phrase scores as its words — but without walking posting lists document
by document in Python, which at 50,000 practices costs seconds for frequent words.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
from whoosh import query as wq

from hub.search.docsets import DocSet
from hub.search.postings import IndexView

B = 0.75
K1 = 1.2


class Ranker:
    """Scores a query over all documents of one searcher; ``matches`` gives the exact match sets."""

    def __init__(self, view: IndexView, matches: weakref.WeakMethod) -> None:
        self.view = view
        self._matches = matches  # FieldArrays.matches, weakly: no cycle keeps an old searcher alive
        self.searcher = view.searcher
        self.size = view.size

    def top(self, query: wq.Query, selected: DocSet, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best of ``selected``, best first (equal scores: lower document number first)."""
        if limit <= 0 or not selected:
            return []
        scores = self.scores(query)
        docs = np.flatnonzero(selected.mask(self.size))
        if not len(docs):
            return []
        chosen = scores[docs]
        if len(docs) > limit:
            keep = np.argpartition(-chosen, limit - 1)[:limit]
            docs, chosen = docs[keep], chosen[keep]
        order = np.lexsort((docs, -chosen))
        return [(int(docs[i]), float(chosen[i])) for i in order]

    def scores(self, query: wq.Query) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        self._add(query, None, total, 1.0)
        return total

    def scores_at(self, query: wq.Query, docs: np.ndarray) -> np.ndarray:
        """``scores(query)[docs]`` for the ascending document numbers ``docs``, without scoring
        the others: each posting list is searched for ``docs`` (binary search) instead of being
        scored whole. The same float32 operations in the same order give the same values."""
        total = np.zeros(len(docs), dtype=np.float32)
        if len(docs):
            self._add(query, docs, total, 1.0)
        return total

    def _add(self, query: wq.Query, docs: np.ndarray | None, into: np.ndarray, boost: float) -> None:
        """Add ``query``'s scores to ``into``: one per document, or one per document of ``docs``."""
        boost *= query.boost
        if isinstance(query, wq.Term):
            self._add_term(query.fieldname, query.text, docs, into, boost)
        elif isinstance(query, wq.Or):
            for sub in query.subqueries:
                self._add(sub, docs, into, boost)
        elif isinstance(query, (wq.And, wq.Phrase, wq.AndNot)):
            part = np.zeros(len(into), dtype=np.float32)
            if isinstance(query, wq.And):
                for sub in query.subqueries:
                    self._add(sub, docs, part, boost)
            elif isinstance(query, wq.Phrase):
                for word in query.words:
                    self._add_term(query.fieldname, word, docs, part, boost)
            else:
                self._add(query.a, docs, part, boost)
            matches = self._matches()
            assert matches is not None  # the arrays outlive the rankings made from them
            mask = matches(query).mask(self.size)
            into += part * (mask if docs is None else mask[docs])  # only where the whole part matches

    def _add_term(
        self, fieldname: str, text: str, docs: np.ndarray | None, into: np.ndarray, boost: float
    ) -> None:
        ids, weights = self.view.postings(fieldname, text)
        if not len(ids):
            return
        if docs is None:  # every document: ``into`` is indexed by document number
            where, scored = ids, ids
        else:  # ``into`` is indexed like ``docs``: find them in the posting list
            at = np.searchsorted(ids, docs)
            where = at < len(ids)
            where[where] = ids[at[where]] == docs[where]
            if not where.any():
                return
            scored, weights = docs[where], weights[at[where]]
        idf = math.log(self.size / (len(ids) + 1)) + 1  # postings include deleted documents, as whoosh's
        average = self.searcher.avg_field_length(fieldname) or 1
        lengths = self.view.lengths(fieldname)[scored]
        into[where] += boost * idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average))
