"""What search keeps in memory between requests, declared in one place.

``SearcherCaches`` holds what is derived from one searcher (field arrays, results, typo variants);
``SearchIndex.searcher`` replaces it whenever the index changes. Every table is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hub.lru import SizedLRU

if TYPE_CHECKING:  # types only: these modules import the index, which imports this one
    from hub.search.arrays import FieldArrays
    from hub.search.searching import SearchResult

V = TypeVar("V")

RESULTS_CACHED = 256  # search results kept per searcher
SPLITS_CACHED = 4096  # compound splits of query words (and respellings) kept per searcher
VARIANTS_CACHED = 4096  # typo variants of (field, term) kept per searcher: a few hundred bytes each
READERS_CACHED = 1024  # prepared visibility checks kept, one per kind of reader (public, all, a member)


def bounded(entries: int) -> SizedLRU[Any]:
    """At most ``entries`` values; the least recently used is dropped first. Safe across threads."""
    return SizedLRU(entries, _one, max_entries=entries)


def _one(_value: object) -> int:
    return 1


@dataclass
class SearcherCaches:
    """Derived from one searcher and dropped with it (the index changed, or was swapped)."""

    arrays: FieldArrays | None = None  # ``hub.search.arrays.arrays_for``
    results: SizedLRU[SearchResult] = field(default_factory=lambda: bounded(RESULTS_CACHED))
    # (field, term) → its typo variants in the index vocabulary (``building.Expander``)
    variants: SizedLRU[list[str]] = field(default_factory=lambda: bounded(VARIANTS_CACHED))
    # query word → its compound split by this searcher's vocabulary (``decompound.Decompounder``)
    splits: SizedLRU[Any] = field(default_factory=lambda: bounded(SPLITS_CACHED))
    # typed word → its forms in the index vocabulary (``senses.Families``)
    families: SizedLRU[list[tuple[str, float]]] = field(default_factory=lambda: bounded(VARIANTS_CACHED))


@dataclass
class Timed(Generic[V]):
    """A value and when it was made (``time.monotonic()``), for caches that expire."""

    made: float
    value: V
