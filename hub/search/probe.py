"""Does one practice, as it is in the database now, match a search for a given reader?

The shared index may not have seen the practice's latest change yet, so it is not asked: the
practice is indexed on its own into a throw-away index with the same schema and analysis, and the
same ``search()`` runs there as the reader. Query language, synonyms, filters and the visibility
rule are thus exactly those of ``/search``. Only exact matches count: the typo fallback depends on
the rest of the corpus ("few exact hits"), which a one-document index cannot answer.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from types import TracebackType
from typing import Any

from hub.extensions import db
from hub.models import Practice
from hub.search.index import SearchIndex
from hub.search.searching import SearchRequest, search
from hub.visibility import can_view
from hub.vocabulary import Status


class PracticeProbe:
    """A one-practice index, built on first use and removed on ``close()`` (or leaving ``with``)."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self._folder: str | None = None
        self._index: SearchIndex | None = None

    def matches(self, user: Any, request: SearchRequest) -> bool:
        """The practice is published, ``user`` may see it and it is an exact hit of ``request``."""
        # The visibility rule first, from the database: whoosh reads an empty allow-set as "no
        # restriction", so a user who may see nothing in this one-document index would see it all.
        if self.practice.status != Status.PUBLISHED or not can_view(user, self.practice):
            return False
        # every word as typed: partial matches and compound parts depend on the rest of the corpus
        exact = replace(request, widen=False)
        result = search(self._open(), db.session(), user, exact, facets=False, highlight=False)
        return result.total == 1 and not result.fuzzy

    def _open(self) -> SearchIndex:
        if self._index is None:
            self._folder = tempfile.mkdtemp(prefix="hub-probe-")
            index = SearchIndex(self._folder)
            index.add([self.practice])
            self._index = index
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> PracticeProbe:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
