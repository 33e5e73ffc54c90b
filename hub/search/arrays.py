"""Per-searcher tables: live documents, keyword values and terms as bitmaps, matching, newest order."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from hub.auth.permissions import is_member, is_privileged
from hub.search.analysis import pairs
from hub.search.docsets import EMPTY, DocSet, TermSets, live_docs
from hub.search.documents import ACCESS, FACETS
from hub.search.index import SearchIndex
from hub.search.postings import IndexView
from hub.search.ranking import Ranker
from hub.visibility import OPEN_STATUSES
from hub.vocabulary import Role, Status, Visibility


class FieldArrays:
    """For one searcher: live documents, value → documents per keyword field, term → documents.

    Matching, filtering, visibility and facet counts are set operations on these bitmaps; ranking
    the page shown is ``hub.search.ranking``'s job.
    """

    def __init__(self, searcher: Searcher, segments: dict[str, Any]) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.live = live_docs(searcher)
        self.view = IndexView(searcher, segments, pinned=frozenset(FACETS + ACCESS))
        self.terms = TermSets(self.view, self.live)
        self.ranker = Ranker(self.view, weakref.WeakMethod(self.matches))
        self._postings: dict[str, dict[str, DocSet]] = {}
        self._newest: np.ndarray | None = None

    def postings(self, name: str) -> dict[str, DocSet]:
        if name not in self._postings:
            table: dict[str, DocSet] = {}
            for value in self.reader.field_terms(name):
                docs = self.terms(name, value)
                if docs:
                    table[value] = docs
            self._postings[name] = table
        return self._postings[name]

    def docs(self, name: str, values: Iterable[str]) -> DocSet:
        """Documents with any of ``values`` in keyword field ``name``."""
        found = EMPTY
        for value in values:
            found = found | self.terms(name, value)
        return found

    def visible(self, user: Any) -> DocSet:
        """The documents ``user`` may open — ``hub.visibility.visible_clause`` on the index."""
        opened = self.docs("status", [s.value for s in OPEN_STATUSES])
        if not is_member(user):
            return opened & self.docs("visibility", [Visibility.PUBLIC.value])
        if is_privileged(user):
            return self.live
        insider = self.docs("author", [str(user.id)])
        if user.role == Role.CONTRIBUTOR and user.centre_id is not None:
            insider = insider | self.docs("centre_id", [str(user.centre_id)])
        return opened | insider

    def listed(self, user: Any, statuses: Iterable[Status]) -> DocSet:
        """What lists show: visible and in one of ``statuses`` (``listed_clause``)."""
        return self.visible(user) & self.docs("status", [s.value for s in statuses])

    def matches(self, query: wq.Query) -> DocSet:
        """Every live document ``query`` matches, unscored."""
        if isinstance(query, wq.Term):
            return self.terms(query.fieldname, query.text)
        if isinstance(query, wq.Or):
            found = EMPTY
            for sub in query.subqueries:
                found = found | self.matches(sub)
            return found
        if isinstance(query, wq.And):
            found = self.live
            for sub in query.subqueries:
                found = found & self.matches(sub)
                if not found:
                    break
            return found
        if isinstance(query, wq.AndNot):
            return self.matches(query.a) - self.matches(query.b)
        if isinstance(query, wq.Phrase):  # its words in the field, its pairs in the practice
            found = self.live
            for fieldname, text in [(query.fieldname, w) for w in query.words] + [
                ("pairs", p) for p in pairs(query.words)
            ]:
                found = found & self.terms(fieldname, text)
                if not found:
                    break
            return found
        if isinstance(query, wq.Every):
            return self.live
        return DocSet.of(self.searcher.docs_for_query(query)) & self.live

    def newest(self, selected: DocSet, limit: int) -> list[int]:
        """The first ``limit`` of ``selected``, newest publication first (then latest indexed)."""
        if limit <= 0 or not selected:
            return []
        if self._newest is None:
            days = np.fromiter(self.reader.column_reader("published"), dtype=np.int64, count=self.view.size)
            docs = np.arange(self.view.size)
            self._newest = np.lexsort((-docs, -days))
        order = self._newest
        return [int(doc) for doc in order[selected.mask(self.view.size)[order]][:limit]]


def arrays_for(index: SearchIndex, searcher: Searcher) -> FieldArrays:
    caches = index.caches
    arrays = caches.arrays
    if arrays is None or arrays.searcher is not searcher:
        arrays = caches.arrays = FieldArrays(searcher, index.segments)
    return arrays
