"""``GET /api/v1/search`` (routed in ``hub.api.v1``, so tokens, scopes and rate limits apply)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from hub.api.problems import problem
from hub.auth.permissions import is_privileged
from hub.search import BadParameter, SearchResult, search_request, search_service


def search_json() -> Response:
    """The search page's results as JSON; 400 with the parameter that was wrong."""
    try:
        req = search_request(request.args, strict=True)
    except BadParameter as error:
        return problem(400, error.detail, title="Bad parameter", errors={error.name: [error.detail]},
                       parameter=error.name)
    result = search_service().search(current_user, req, source="api")
    return jsonify(result_json(result, scores=is_privileged(current_user)))


def result_json(result: SearchResult, *, scores: bool) -> dict[str, Any]:
    """``scores`` only for readers who may see every practice: relevance scores depend on the
    whole index (term statistics), so for others they would change with hidden drafts."""
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
                # the words are only in this attached file, and the snippet is from it (the page: "im Anhang")
                "matched_file": hit.file,
                "url": url_for("practices.detail", slug=hit.card["slug"], _external=True),
                **({"score": hit.score} if scores else {}),
            }
            for hit in result.hits
        ],
        "facets": result.facets,
        "suggestion": result.suggestion,
        # "all": every result has every word; "partial": only ``complete`` do, those with most follow
        "match": result.match,
        "complete": result.complete,
    }
