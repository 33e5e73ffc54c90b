"""Postings and field lengths as numpy arrays, cached per index segment.

Whoosh segments never change once written (only their deletion lists do, and deletions are
applied through the searcher's set of live documents), so what is read from a segment is cached
under its id and survives the searcher being replaced after every write. A searcher's view puts
the segments side by side at their document offsets.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, OrderedDict
from typing import Any

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 1 for b in range(256)], dtype=np.float32)

Postings = tuple[np.ndarray, np.ndarray]  # (document numbers, weights)
# Postings of unpinned terms kept per segment, 8 bytes each (≈ 64 MB at most). Fresh searches over
# 50k practices read ≈ 3M of them (n-grams of frequent word parts are long lists); with the earlier
# 2M the least recently used were read again and again, and a fresh search took 4.5 ms instead of 2.7.
POSTINGS_KEPT = 8_000_000


class SegmentData:
    """What has been read from one segment: postings and bitmaps per term, field lengths.

    Terms of ``pinned`` fields (the few values of facet and visibility fields, needed after every
    refresh) stay; other terms are dropped least recently used first beyond ``budget`` postings.
    """

    BITMAPS = 8192  # bitmaps of unpinned terms kept (a few kB each)

    def __init__(self, reader: Any, budget: int, pinned: frozenset[str]) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.budget = budget  # postings kept in memory
        self.pinned = pinned
        self._held = 0
        self._terms: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._kept: dict[tuple[str, str], Postings] = {}
        self._bits: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._kept_bits: dict[tuple[str, str], int] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._vocabulary: dict[str, str] = {}
        self._sorted_terms: dict[str, list[str]] = {}
        self._containing: OrderedDict[tuple[str, str], dict[str, int]] = OrderedDict()

    def postings(self, fieldname: str, text: str) -> Postings:
        key = (fieldname, text)
        if fieldname in self.pinned:
            if key not in self._kept:
                self._kept[key] = _read_postings(self.reader, fieldname, text)
            return self._kept[key]
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        found = _read_postings(self.reader, fieldname, text)
        self._terms[key] = found
        self._held += len(found[0])
        while self._held > self.budget and len(self._terms) > 1:
            _, (ids, _) = self._terms.popitem(last=False)
            self._held -= len(ids)
        return found

    def bits(self, fieldname: str, text: str) -> int:
        """The segment's documents containing the term, as a bitmap of local document numbers."""
        key = (fieldname, text)
        table = self._kept_bits if fieldname in self.pinned else self._bits
        found = table.get(key)
        if found is None:
            found = table[key] = _bitmap(self.postings(fieldname, text)[0], self.size)
            if table is self._bits and len(table) > self.BITMAPS:
                table.popitem(last=False)
        elif table is self._bits:
            self._bits.move_to_end(key)
        return found

    def lengths(self, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            self._lengths[fieldname] = _read_lengths(self.reader, fieldname, self.size)
        return self._lengths[fieldname]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """As the reader's, but a term the segment lacks is known to be absent from its sorted
        vocabulary (a binary search) without whoosh's hash-table lookup (≈ 20 µs per segment):
        splitting a compound of the query asks for hundreds of substrings, most of them no term."""
        terms = self._sorted_terms.get(fieldname)
        if terms is None:
            terms = self._sorted_terms[fieldname] = sorted(self.reader.field_terms(fieldname))
        at = bisect_left(terms, text)
        if at == len(terms) or terms[at] != text:
            return 0
        return self.reader.doc_frequency(fieldname, text)

    def containing(self, fieldname: str, part: str) -> dict[str, int]:
        """The segment's longer terms with ``part`` inside them, with their document frequencies."""
        key = (fieldname, part)
        found = self._containing.get(key)
        if found is not None:
            self._containing.move_to_end(key)
            return found
        if fieldname not in self._vocabulary:  # every term once, a line each: one C-speed scan per part
            self._vocabulary[fieldname] = "\n" + "\n".join(self.reader.field_terms(fieldname)) + "\n"
        vocabulary = self._vocabulary[fieldname]
        found = {}
        at = vocabulary.find(part)
        while at != -1:
            start = vocabulary.rfind("\n", 0, at) + 1
            end = vocabulary.find("\n", at)
            word = vocabulary[start:end]
            if word != part:
                found[word] = self.reader.doc_frequency(fieldname, word)
            at = vocabulary.find(part, end)
        self._containing[key] = found
        if len(self._containing) > self.BITMAPS:
            self._containing.popitem(last=False)
        return found


class IndexView:
    """One searcher's segments at their offsets: global postings, lengths and BM25F statistics."""

    def __init__(
        self, searcher: Searcher, cache: dict[str, SegmentData], pinned: frozenset[str] = frozenset(),
        budget: int = POSTINGS_KEPT,
    ) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.leaves: list[tuple[SegmentData, int]] = []
        current: set[str] = set()
        for reader, offset in searcher.reader().leaf_readers():
            key = reader.segment().segment_id() if reader.segment() is not None else f"anon-{id(reader)}"
            current.add(key)
            data = cache.get(key)
            if data is None or data.size != reader.doc_count_all():
                data = cache[key] = SegmentData(reader, budget, pinned)
            else:
                data.reader = reader  # the new searcher's reader of the same segment (fresh deletions)
            self.leaves.append((data, offset))
        for gone in set(cache) - current:
            del cache[gone]
        self._lengths: dict[str, np.ndarray] = {}

    def postings(self, fieldname: str, text: str) -> Postings:
        found = [(data.postings(fieldname, text), offset) for data, offset in self.leaves]
        parts = [(ids, weights, offset) for (ids, weights), offset in found if len(ids)]
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
        if len(parts) == 1:
            ids, weights, offset = parts[0]
            return (ids + offset if offset else ids), weights
        return (
            np.concatenate([ids + offset for ids, _, offset in parts]),
            np.concatenate([weights for _, weights, _ in parts]),
        )

    def bits(self, fieldname: str, text: str) -> int:
        """Documents containing the term, deleted ones included, as a bitmap of document numbers."""
        found = 0
        for data, offset in self.leaves:
            local = data.bits(fieldname, text)
            if local:
                found |= local << offset
        return found

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Documents containing the term, deleted ones included (as whoosh's reader counts)."""
        return sum(data.doc_frequency(fieldname, text) for data, _ in self.leaves)

    def containing(self, fieldname: str, part: str, limit: int) -> list[str]:
        """Up to ``limit`` terms with ``part`` inside them (compounds), most frequent first."""
        counts: Counter[str] = Counter()
        for data, _ in self.leaves:
            counts.update(data.containing(fieldname, part))
        return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]]

    def lengths(self, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            arrays = [data.lengths(fieldname) for data, _ in self.leaves]
            self._lengths[fieldname] = np.concatenate(arrays) if arrays else EMPTY_WEIGHTS
        return self._lengths[fieldname]


def _bitmap(ids: np.ndarray, size: int) -> int:
    if not len(ids):
        return 0
    flags = np.zeros(size, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _read_postings(reader: Any, fieldname: str, text: str) -> Postings:
    if (fieldname, text) not in reader:
        return EMPTY_IDS, EMPTY_WEIGHTS
    matcher = reader.postings(fieldname, text)
    while isinstance(matcher, FilterMatcher):  # deletions: the searcher's live set handles them
        matcher = matcher.child
    ids: list[Any] = []
    weights: list[Any] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # whoosh's W3 posting blocks, read a block at a time (the per-posting API costs 10×)
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
        if not ids:
            return EMPTY_IDS, EMPTY_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)


def _read_lengths(reader: Any, fieldname: str, size: int) -> np.ndarray:
    """Each document's length of ``fieldname`` as whoosh scores it (stored as one byte)."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield  # noqa: PLC0415 - whoosh internals: without them, the fallback below

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            return _LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=size)]
    except (AttributeError, ImportError, TypeError, ValueError):
        pass
    found = [reader.doc_field_length(doc, fieldname, 1) or 1 for doc in range(size)]
    return np.array(found, dtype=np.float32)
