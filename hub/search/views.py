"""The search page and the JSON API: parse parameters, search as the current user, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from hub.api.problems import problem
from hub.extensions import db
from hub.models import Centre, CompanySize, Sector, Topic
from hub.search.params import FILTER_PARAMS, BadParameter, as_args, search_request
from hub.search.query import SearchRequest, SearchResult
from hub.search.service import run_search
from hub.vocabulary import label

bp = Blueprint("search", __name__)

FACET_TITLES = {
    "sector": _l("Sector"),
    "size": _l("Company size"),
    "topic": _l("Topic"),
    "kind": _l("Kind"),
    "centre": _l("Centre"),
    "state": _l("Federal state"),
    "outcome": _l("Outcome"),
    "tag": _l("Tags"),
}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    url: str


@bp.get("/search")
def page() -> str:
    req = search_request(request.args, per_page=_per_page(), max_per_page=_max_per_page())
    result = run_search(current_user, req, source="page")
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


def api() -> Any:
    """``GET /api/v1/search`` (routed in ``hub.api.v1``, so tokens, scopes and rate limits apply)."""
    try:
        req = search_request(request.args, per_page=_per_page(), max_per_page=_max_per_page(), strict=True)
    except BadParameter as error:
        return problem(400, error.detail, title="Bad parameter", errors={error.name: [error.detail]},
                       parameter=error.name)  # fmt: skip
    result = run_search(current_user, req, source="api")
    return jsonify(_json(result))


def _json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "results": [
            {
                "slug": hit.card["slug"],
                "title": hit.card["title"],
                "kind": hit.card["kind"],
                "centre": hit.card["centre"],
                "sectors": hit.card["sectors"],
                "summary": hit.card["summary"],
                "snippet": str(hit.snippet),
                "url": url_for("practices.detail", slug=hit.card["slug"], _external=True),
                "score": hit.score,
            }
            for hit in result.hits
        ],
        "facets": result.facets,
        "suggestion": result.suggestion,
    }


def value_labels() -> dict[str, dict[str, str]]:
    """Readable names of facet values (codes stay in URLs), in one query."""
    named = sa.union_all(
        sa.select(sa.literal("sector"), Sector.code, Sector.code + " – " + Sector.name),
        sa.select(sa.literal("size"), CompanySize.code, CompanySize.name),
        sa.select(sa.literal("topic"), Topic.slug, Topic.name),
        sa.select(sa.literal("centre"), Centre.slug, Centre.name),
    )
    labels: dict[str, dict[str, str]] = {"sector": {}, "size": {}, "topic": {}, "centre": {}}
    for facet, value, name in db.session.execute(named):
        labels[facet][value] = name
    return labels


def _label(labels: dict[str, dict[str, str]], name: str, value: str) -> str:
    if name in labels:
        return labels[name].get(value, value)
    if name in {"kind", "outcome"}:
        return label(value)
    return value


def _facets(
    req: SearchRequest, result: SearchResult, labels: dict[str, dict[str, str]]
) -> dict[str, list[FacetValue]]:
    urls = _ToggleUrls(req)
    shown: dict[str, list[FacetValue]] = {}
    for name, counts in result.facets.items():
        active = req.filters.get(name, [])
        values = [
            FacetValue(value, _label(labels, name, value), count, value in active,
                       urls.toggled(name, value))
            for value, count in counts.items()
        ]  # fmt: skip
        values += [
            FacetValue(value, _label(labels, name, value), 0, True, urls.toggled(name, value))
            for value in active
            if value not in counts
        ]
        shown[name] = values
    return shown


def _chips(req: SearchRequest, labels: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """(facet title, value label, URL without it) for every active filter."""
    urls = _ToggleUrls(req)
    return [
        (str(FACET_TITLES[name]), _label(labels, name, value), urls.toggled(name, value))
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


def _per_page() -> int:
    return int(current_app.config["PER_PAGE"])


def _max_per_page() -> int:
    return int(current_app.config["SEARCH_PER_PAGE_MAX"])
