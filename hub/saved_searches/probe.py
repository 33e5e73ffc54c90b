"""Does one practice, as it is now, match a saved search for a given user?

The practice is probed on its own (``search_service().probe``: a one-practice index with the same
schema, analysis and ``search()`` as ``/search``), so the answer does not wait for the shared index
to see the change. Only exact matches count.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from hub.models import Practice
from hub.practices.visibility import can_view
from hub.saved_searches.criteria import SavedSearch
from hub.search import PracticeProbe as IndexProbe
from hub.search import search_service
from hub.vocabulary import Status


class PracticeProbe:
    """Saved searches against one practice; its one-practice index is built on first use and removed
    on ``close()`` (or leaving ``with``)."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self._probe: IndexProbe | None = None

    def matches(self, user: Any, saved: SavedSearch) -> bool:
        # The visibility rule first, from the database: whoosh reads an empty allow-set as "no
        # restriction", so a user who may see nothing in this one-document index would see it all.
        if saved.empty or self.practice.status != Status.PUBLISHED or not can_view(user, self.practice):
            return False
        if self._probe is None:
            self._probe = search_service().probe(self.practice)
        return self._probe.matches(user, saved.request(per_page=1))

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def __enter__(self) -> PracticeProbe:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
