"""Search parameters from a URL: the page forgives, the API answers 400 with what was wrong."""

from __future__ import annotations

from typing import Any

from flask import current_app

from hub.filters import FILTER_NAMES, MAX_VALUES
from hub.paging import MAX_PAGE
from hub.search.searching import SORTS, SearchRequest

FILTER_PARAMS = FILTER_NAMES  # the name search callers know (hub.filters holds the one list)
# ``all``: every word must match (no partial matches, ``hub.search.partial``); a checkbox sends "1"
ALL_WORDS = {"": False, "0": False, "false": False, "1": True, "true": True, "on": True}


class BadParameter(ValueError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


def _int(args: Any, name: str, default: int, low: int, high: int, strict: bool) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        if strict:
            raise BadParameter(name, "must be a whole number") from None
        return default
    if not low <= value <= high:
        if strict:
            raise BadParameter(name, f"must be between {low} and {high}")
        return min(max(value, low), high)
    return value


def search_request(args: Any, *, strict: bool = False) -> SearchRequest:
    """A ``SearchRequest`` from query parameters (``strict``: raise ``BadParameter`` instead of fixing),
    pages of the app's ``PER_PAGE`` results, at most ``SEARCH_PER_PAGE_MAX``."""
    per_page = int(current_app.config["PER_PAGE"])
    max_per_page = int(current_app.config["SEARCH_PER_PAGE_MAX"])
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        if strict:
            raise BadParameter("sort", f"must be one of {', '.join(SORTS)}")
        sort = "relevance"
    filters = {
        name: list(dict.fromkeys(v for v in args.getlist(name) if v))[:MAX_VALUES] for name in FILTER_PARAMS
    }
    all_words = args.get("all") or ""
    if all_words not in ALL_WORDS:
        if strict:
            raise BadParameter("all", "must be 1 (every word must match) or 0")
        all_words = ""
    return SearchRequest(
        all_words=ALL_WORDS[all_words],
        q=(args.get("q") or "")[:1000],
        filters={name: values for name, values in filters.items() if values},
        statuses=[v for v in args.getlist("status") if v][:4],
        sort=sort,
        page=_int(args, "page", 1, 1, MAX_PAGE, strict),
        per_page=_int(args, "per_page", per_page, 1, max_per_page, strict),
    )


def as_args(req: SearchRequest) -> list[tuple[str, str]]:
    """The request as URL parameters again (the URL holds the whole state)."""
    pairs: list[tuple[str, str]] = [("q", req.q)] if req.q else []
    pairs += [(name, value) for name in FILTER_PARAMS for value in req.filters.get(name, [])]
    pairs += [("status", value) for value in req.statuses]
    if req.sort != "relevance":
        pairs.append(("sort", req.sort))
    if req.all_words:
        pairs.append(("all", "1"))
    return pairs
