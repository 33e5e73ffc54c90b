"""The filter names, in one place: the practice lists, ``/search``, saved searches (collections,
followed searches, feeds), the API and its OpenAPI description all import them from here.

The names are URL parameters (``?sector=C&tag=ki``) and keys of a saved search; their order is
the fixed order of the search page's facets and of a saved search's canonical key.
"""

from __future__ import annotations

FILTER_NAMES: tuple[str, ...] = ("sector", "size", "topic", "kind", "centre", "state", "outcome", "tag")
# The practice lists filter by all but the federal state (their pages offer no state filter).
LIST_FILTER_NAMES: tuple[str, ...] = tuple(name for name in FILTER_NAMES if name != "state")
MAX_VALUES = 30  # values per filter that a request may name
