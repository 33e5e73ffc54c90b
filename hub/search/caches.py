"""What search keeps in memory between requests, declared in one place.

``SearcherCaches`` holds what is derived from one searcher (field arrays, results, typo variants);
``SearchIndex.searcher`` replaces it whenever the index changes. Every table is bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # types only: these modules import the index, which imports this one
    from hub.search.arrays import FieldArrays
    from hub.search.searching import SearchResult

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

RESULTS_CACHED = 256  # search results kept per searcher
VARIANTS_CACHED = 4096  # typo variants of (field, term) kept per searcher: a few hundred bytes each
READERS_CACHED = 1024  # prepared visibility checks kept, one per kind of reader (public, all, a member)


class Lru(Generic[K, V]):
    """At most ``size`` entries; the least recently used is dropped first. Safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        found = self.get(key)
        return found if found is not None else self.put(key, compute())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class SearcherCaches:
    """Derived from one searcher and dropped with it (the index changed, or was swapped)."""

    arrays: FieldArrays | None = None  # ``hub.search.arrays.arrays_for``
    results: Lru[tuple[Any, ...], SearchResult] = field(default_factory=lambda: Lru(RESULTS_CACHED))
    variants: Lru[tuple[str, str], list[str]] = field(default_factory=lambda: Lru(VARIANTS_CACHED))


@dataclass
class Timed(Generic[V]):
    """A value and when it was made (``time.monotonic()``), for caches that expire."""

    made: float
    value: V
