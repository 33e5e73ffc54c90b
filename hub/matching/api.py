"""``GET /api/v1/match``: the client-profile ranking as JSON, with the same visibility as the page."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for
from flask_login import current_user

from hub.matching.queries import match
from hub.matching.views import profile_from_args

bp = Blueprint("matching_api", __name__, url_prefix="/api/v1")


def problem(status: int, title: str, errors: dict[str, list[str]]) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "errors": errors})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


@bp.get("/match")
def api_match() -> Response:
    profile, form = profile_from_args(request.args)
    errors = {name: [str(e) for e in field.errors] for name, field in form._fields.items() if field.errors}
    if errors:
        return problem(400, "Invalid client profile", errors)
    limit = request.args.get("limit", 20, type=int)
    if not 1 <= limit <= 100:
        return problem(400, "Invalid client profile", {"limit": ["must be between 1 and 100"]})
    results = match(current_user, profile, limit=limit)
    return jsonify(
        {
            "profile": {
                "sector": profile.sector,
                "size": profile.size,
                "state": profile.state,
                "topics": list(profile.topics),
                "q": profile.query,
            },
            "results": [
                {
                    "slug": r.candidate.slug,
                    "title": r.candidate.title,
                    "url": url_for("practices.detail", slug=r.candidate.slug, _external=True),
                    "score": r.score,
                    "reasons": r.reasons,
                    "evidence": r.evidence,
                    "warning": r.warning,
                    "failed_in_sectors": r.failed_sectors,
                }
                for r in results
            ],
        }
    )
