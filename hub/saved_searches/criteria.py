"""A saved search: query text and filters, in one normalised form.

The canonical form — the query string ``q=…&sector=…`` with the filters in the fixed order of the
search page and each filter's values sorted — is the key of a followed search, the link back to
``/search`` and the state of the search feed. Sort order, statuses and the page are not part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from hub.fields import STATE_RE, TAG_RE
from hub.filters import FILTER_NAMES, MAX_VALUES
from hub.models.following import KEY_LENGTH
from hub.search import SearchRequest, normalise
from hub.vocabulary import Kind, Result
from hub.vocabulary.stored import VOCABULARIES, Known, known_to_hub

MAX_KEY = KEY_LENGTH  # a followed search's canonical form must fit the watch key


@dataclass
class SavedSearch:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, q: str | None, filters: Mapping[str, Iterable[str]] | None = None) -> SavedSearch:
        """The normalised saved search: query whitespace collapsed, known filters only, values sorted."""
        filters = filters or {}
        clean = {
            name: sorted({str(v) for v in filters.get(name, ()) if str(v).strip()})[:MAX_VALUES]
            for name in FILTER_NAMES
        }
        return cls(q=normalise(q or ""), filters={name: values for name, values in clean.items() if values})

    @classmethod
    def from_args(cls, args: Any) -> SavedSearch:
        """From URL parameters (a ``MultiDict``); unknown parameters are ignored."""
        return cls.of(args.get("q", ""), {name: args.getlist(name) for name in FILTER_NAMES})

    @classmethod
    def from_key(cls, key: str) -> SavedSearch:
        pairs = parse_qsl(key, keep_blank_values=False)
        filters: dict[str, list[str]] = {}
        for name, value in pairs:
            filters.setdefault(name, []).append(value)
        return cls.of(" ".join(filters.pop("q", [])), filters)

    @classmethod
    def stored(cls, query: str | None, filters: Mapping[str, Iterable[str]] | None) -> SavedSearch | None:
        """From the two columns of a collection; ``None`` when it has no saved search."""
        saved = cls.of(query, filters)
        return None if saved.empty else saved

    @property
    def empty(self) -> bool:
        return not self.q and not self.filters

    def args(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q)] if self.q else []
        return pairs + [(name, value) for name in FILTER_NAMES for value in self.filters.get(name, [])]

    def key(self) -> str:
        """The canonical query string (``q`` first, then the filters in fixed order, values sorted)."""
        return urlencode(self.args())

    def request(self, *, per_page: int, sort: str = "newest") -> SearchRequest:
        return SearchRequest(q=self.q, filters={k: list(v) for k, v in self.filters.items()},
                             sort=sort, page=1, per_page=per_page)

    def front_matter(self) -> dict[str, Any]:
        """The ``search`` value of a collection file: ``q`` when given, then the non-empty filters."""
        data: dict[str, Any] = {"q": self.q} if self.q else {}
        data.update((name, list(self.filters[name])) for name in FILTER_NAMES if name in self.filters)
        return data


@dataclass
class Vocabulary:
    """The values each filter may take (``None``: checked by pattern — states and free tags)."""

    sector: set[str]
    size: set[str]
    topic: set[str]
    centre: set[str]
    kind: set[str] = field(default_factory=lambda: {k.value for k in Kind})
    outcome: set[str] = field(default_factory=lambda: {r.value for r in Result})

    def problems(self, saved: SavedSearch) -> dict[str, str]:
        """Field name → what is wrong (empty when the saved search is valid)."""
        found: dict[str, str] = {}
        for name, values in saved.filters.items():
            bad = [v for v in values if not self.allows(name, v)]
            if bad:
                found[name] = f"unknown value(s): {', '.join(bad)}"
        return found

    def allows(self, name: str, value: str) -> bool:
        if name == "state":
            return bool(STATE_RE.match(value))
        if name == "tag":
            return bool(TAG_RE.match(value))
        return value in getattr(self, name)

    @classmethod
    def of(cls, known: Known) -> Vocabulary:
        return cls(sector=known.sectors, size=known.sizes, topic=known.topics, centre=known.centres)

    @classmethod
    def of_hub(cls) -> Vocabulary:
        return cls.of(known_to_hub(*VOCABULARIES))
