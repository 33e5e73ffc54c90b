"""``GET /api/v1/match`` (routed in ``hub.api.v1``): the client-profile ranking as JSON."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from hub.api.problems import problem
from hub.matching.forms import profile_from_args
from hub.matching.queries import match


def match_json() -> Response:
    profile, form = profile_from_args(request.args)
    errors = {name: [str(e) for e in field.errors] for name, field in form._fields.items() if field.errors}
    if errors:
        return problem(400, "Invalid client profile", errors=errors)
    limit = request.args.get("limit", 20, type=int)
    if not 1 <= limit <= 100:
        return problem(400, "Invalid client profile", errors={"limit": ["must be between 1 and 100"]})
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
