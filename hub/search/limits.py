"""A limit on anonymous searches per client address: a typo search not yet cached costs 15–20 times
a plain one, and anyone can send them.

Counted per worker process in fixed one-minute windows (each worker guards its own CPU); members
are not limited here, API tokens have their own limit (``API_RATE_LIMIT``).
"""

from __future__ import annotations

import time

from werkzeug.exceptions import TooManyRequests

from hub.lru import SizedLRU
from hub.search.caches import bounded

CLIENTS_TRACKED = 10_000  # addresses remembered at most (the least recently seen are forgotten)
WINDOW = 60


class SearchLimitReached(TooManyRequests):
    """Too many anonymous searches from one address; ``retry_after`` seconds until the next window."""

    def __init__(self, wait: int) -> None:
        super().__init__(
            description=f"Too many searches from your address; try again in {wait} s.", retry_after=wait
        )


class AnonymousSearchLimit:
    """At most ``per_minute`` searches per client address and minute (0: no limit)."""

    def __init__(self, clients: int = CLIENTS_TRACKED) -> None:
        self.counts: SizedLRU[tuple[int, int]] = bounded(clients)  # address → (window, searches in it)

    def admit(self, client: str, per_minute: int) -> None:
        """Count one search from ``client``; raises ``SearchLimitReached`` beyond the limit."""
        if per_minute <= 0:
            return
        now = time.time()
        window = int(now // WINDOW)
        last_window, count = self.counts.get(client) or (window, 0)
        count = count + 1 if last_window == window else 1
        self.counts.put(client, (window, count))
        if count > per_minute:
            raise SearchLimitReached(WINDOW - int(now) % WINDOW)
