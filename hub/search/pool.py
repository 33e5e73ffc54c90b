"""A segment writer's postings, gathered per term in compact arrays instead of whoosh's pool of tuples.

Whoosh's ``PostingPool`` keeps each posting as a tuple of five Python objects (≈ 200 bytes), sorts
them all, and beyond ``limitmb`` pickles them one by one into sorted runs that it merges back with
``heapq`` a posting at a time. A rebuild of 10,000 realistic practices spilled four runs per
writer, and pickling, unpickling and merging postings took about a third of its CPU.

``TermPool`` keeps a term's postings as three arrays (document numbers, weights, encoded values:
≈ 20 bytes a posting), so a writer holds five to ten times more in the same memory; it sorts terms,
not postings. Beyond its limit it writes a run: one pickled record per term, in term order. A
writer numbers its documents upwards as it adds them, so a term's postings in a later run follow
those of an earlier one: merging runs merges terms and joins their arrays. Should a term ever get a
smaller document number than its last (whoosh's own merging of segments adds postings term by term),
its postings are sorted by document number when they are read out.

The postings read out are exactly whoosh's: ordered by field, term and document number
(tests/test_search_pool.py compares the segments both write).
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import IO, Any

Key = tuple[str, bytes]  # (field name, term bytes)
# A term's postings: document numbers, weights, encoded values (``None`` where whoosh was given none).
Postings = tuple[array, array, list[bytes | None]]
Posting = tuple[str, bytes, int, float, bytes | None]  # whoosh's pool item

POSTING_BYTES = 20  # one entry in each of the three arrays (4 + 8 + 8 bytes)
TERM_BYTES = 400  # a term's key, its dictionary slot and three array/list objects


class TermPool:
    """Postings per term for one ``SegmentWriter`` (its ``pool``): ``add`` as whoosh's pool, ``terms``
    and ``iter_postings`` in whoosh's order, spilled to sorted runs in ``folder`` beyond ``limit`` bytes."""

    def __init__(self, limit: int, folder: str | None = None) -> None:
        self.limit = limit
        self.folder = folder
        self._terms: dict[Key, Postings] = {}
        self._size = 0
        self._unsorted: set[Key] = set()
        self._values: dict[bytes | None, bytes | None] = {}  # one object per distinct encoded value
        self._runs: list[IO[bytes]] = []

    def add(self, item: Posting) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        postings = self._terms.get(key)
        if postings is None:
            postings = self._terms[key] = (array("I"), array("d"), [])
            self._size += TERM_BYTES + len(text)
        elif docnum < postings[0][-1]:
            self._unsorted.add(key)
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(self._values.setdefault(value, value))
        self._size += POSTING_BYTES
        if self._size > self.limit:
            self._spill()

    def terms(self) -> Iterator[tuple[Key, Postings]]:
        """Every term with its postings, in field and term order, postings by document number."""
        if not self._runs:
            for key in sorted(self._terms):
                yield key, self._ordered(key, self._terms[key])
            return
        self._spill()
        merged = heapq.merge(*(_read_run(run) for run in self._runs), key=itemgetter(0))
        for key, parts in groupby(merged, key=itemgetter(0)):
            docs, weights, values = array("I"), array("d"), []
            for _, part in parts:  # in the order the runs were written
                if docs and part[0][0] < docs[-1]:
                    self._unsorted.add(key)
                docs.extend(part[0])
                weights.extend(part[1])
                values.extend(part[2])
            yield key, self._ordered(key, (docs, weights, values))

    def iter_postings(self) -> Iterator[Posting]:
        """Whoosh's interface: one (field, term, document, weight, value) tuple per posting."""
        for (fieldname, text), (docs, weights, values) in self.terms():
            for docnum, weight, value in zip(docs, weights, values, strict=True):
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        for run in self._runs:
            run.close()  # temporary files: removed as they are closed
        self._runs = []
        self._terms = {}
        self._size = 0

    def _ordered(self, key: Key, postings: Postings) -> Postings:
        if key not in self._unsorted:
            return postings
        docs, weights, values = postings
        order = sorted(range(len(docs)), key=docs.__getitem__)
        return (
            array("I", (docs[i] for i in order)),
            array("d", (weights[i] for i in order)),
            [values[i] for i in order],
        )

    def _spill(self) -> None:
        if not self._terms:
            return
        run = tempfile.TemporaryFile(dir=self.folder, suffix=".run")  # noqa: SIM115 - closed in cleanup
        for key in sorted(self._terms):  # one pickle per term: nothing memoised across terms
            docs, weights, values = self._ordered(key, self._terms[key])
            pickle.dump((key, (docs.tobytes(), weights.tobytes(), values)), run, pickle.HIGHEST_PROTOCOL)
        run.flush()
        self._runs.append(run)
        self._terms = {}
        self._unsorted = set()
        self._size = 0


def _read_run(run: IO[bytes]) -> Iterator[tuple[Key, Postings]]:
    run.seek(0)
    while True:
        try:
            key, (docs, weights, values) = pickle.load(run)  # noqa: S301 - a run this process wrote to its own temporary file
        except EOFError:
            return
        yield key, (array("I", docs), array("d", weights), values)


def install(writer: Any, folder: str | None) -> Any:
    """Give a whoosh ``SegmentWriter`` a ``TermPool`` of the same limit (before anything is added)."""
    writer.pool = TermPool(writer.pool.limit, folder)
    return writer
