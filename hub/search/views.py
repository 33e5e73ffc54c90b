"""The search page: parse parameters, search as the current user, render (the JSON twin is
``GET /api/v1/search`` in ``hub.api.search``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from hub.search.labels import FACET_TITLES, value_label, value_labels
from hub.search.params import FILTER_PARAMS, as_args, search_request
from hub.search.searching import SearchRequest, SearchResult
from hub.search.service import search_service

bp = Blueprint("search", __name__)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    url: str


@bp.get("/search")
def page() -> str:
    req = search_request(request.args)
    result = search_service().search(current_user, req, source="page")
    # Facets and hits are rendered once per cached result (the same search by the same kind of
    # reader since the index last changed): under load most searches are asked again.
    key = (str(get_locale()), request.script_root)
    results_html = result.rendered.get(key)
    labels = value_labels() if results_html is None or req.filters else {}
    if results_html is None:
        results_html = result.rendered[key] = Markup(  # noqa: S704 - a rendered, autoescaped template
            render_template(
                "search/_results.html",
                req=req,
                result=result,
                facets=_facets(req, result, labels),
                labels=labels,
                facet_titles=FACET_TITLES,
                page_url=lambda n: _url(as_args(req) + ([("page", str(n))] if n > 1 else [])),
                sort_url=lambda sort: _url([p for p in as_args(req) if p[0] != "sort"] + [("sort", sort)]),
            )
        )
    return render_template(
        "search/index.html",
        req=req,
        result=result,
        results_html=results_html,
        chips=_chips(req, labels),
        reset_url=_url([("q", req.q)] if req.q else []),
    )


def _facets(
    req: SearchRequest, result: SearchResult, labels: dict[str, dict[str, str]]
) -> dict[str, list[FacetValue]]:
    urls = _ToggleUrls(req)
    shown: dict[str, list[FacetValue]] = {}
    for name, counts in result.facets.items():
        active = req.filters.get(name, [])
        values = [
            FacetValue(value, value_label(labels, name, value), count, value in active,
                       urls.toggled(name, value))
            for value, count in counts.items()
        ]
        values += [
            FacetValue(value, value_label(labels, name, value), 0, True, urls.toggled(name, value))
            for value in active
            if value not in counts
        ]
        shown[name] = values
    return shown


def _chips(req: SearchRequest, labels: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """(facet title, value label, URL without it) for every active filter."""
    urls = _ToggleUrls(req)
    return [
        (str(FACET_TITLES[name]), value_label(labels, name, value), urls.toggled(name, value))
        for name in FILTER_PARAMS
        for value in req.filters.get(name, [])
    ]


class _ToggleUrls:
    """URLs of the search with one filter value switched on or off (each parameter encoded once)."""

    def __init__(self, req: SearchRequest) -> None:
        self.base = url_for("search.page")
        self.args = [(pair, urlencode([pair])) for pair in as_args(req)]

    def toggled(self, name: str, value: str) -> str:
        parts = [encoded for pair, encoded in self.args if pair != (name, value)]
        if len(parts) == len(self.args):  # not active: switch it on
            parts.append(urlencode([(name, value)]))
        return self.base + ("?" + "&".join(parts) if parts else "")


def _url(pairs: list[tuple[str, str]]) -> str:
    query = urlencode(pairs)
    return url_for("search.page") + ("?" + query if query else "")
