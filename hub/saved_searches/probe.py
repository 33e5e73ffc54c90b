"""Does one practice, as it is now, match a saved search for a given user?

Notifications are made after the commit that publishes or changes a practice (``hub.events``), but
the shared index may still lag behind that commit (its sync can be off, busy or failing). So the
practice is probed on its own (``search_service().probe``: a one-practice index of its committed
state with the same schema, analysis, visibility rule and ``search()`` as ``/search``). Only exact
matches count.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any

from hub.models import Practice
from hub.saved_searches.criteria import SavedSearch
from hub.search import search_service


class PracticeProbe(AbstractContextManager["PracticeProbe"]):
    """Saved searches against one practice; its index is built on first use and removed on leaving
    ``with``."""

    def __init__(self, practice: Practice) -> None:
        self._probe = search_service().probe(practice)

    def matches(self, user: Any, saved: SavedSearch) -> bool:
        return not saved.empty and self._probe.matches(user, saved.request(per_page=1))

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._probe.close()
