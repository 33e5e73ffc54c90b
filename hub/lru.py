"""A small thread-safe least-recently-used cache bounded by the total weight of its values.

Used for derived data that is expensive to compute and never changes for its key (rendered Markdown
per text, revision diffs per revision pair): the bound is on memory, not on the number of entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SizedLRU(Generic[V]):
    """At most ``max_weight`` (summed ``weigh(value)``) in at most ``max_entries`` entries."""

    def __init__(self, max_weight: int, weigh: Callable[[V], int], max_entries: int = 4096) -> None:
        self.max_weight = max_weight
        self.max_entries = max_entries
        self._weigh = weigh
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V) -> V:
        weight = self._weigh(value)
        if weight > self.max_weight:
            return value  # larger than the whole cache: computed each time, never evicts everything
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self.max_weight or len(self._items) > self.max_entries:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped
        return value

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        found = self.get(key)
        return found if found is not None else self.put(key, compute())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._items)
