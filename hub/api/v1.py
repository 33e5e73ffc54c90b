"""REST API v1 — read side: centres, taxonomy, practices, experience reports, collections.

Authentication: a personal token (``Authorization: Bearer ph_…``, scope read or read-write) or the
browser session (unsafe methods then need the ``X-CSRFToken`` header). Anonymous callers see what
anonymous visitors see. Every error is ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, Response, g, jsonify, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from hub.api.matching import match_json
from hub.api.openapi import openapi_document
from hub.api.problems import from_http_exception, problem
from hub.api.search import search_json
from hub.api.serialize import centre_json, collection_json, experience_json, practice_json, practice_summary
from hub.api.tokens import over_limit, valid_until
from hub.auth.permissions import PermissionDenied
from hub.collections.queries import collection_practices, get_collection, visible_collections
from hub.extensions import csrf, db
from hub.models import Practice, SynonymGroup, TagAlias, TokenScope
from hub.paging import MAX_PAGE, max_per_page
from hub.practices.queries import (
    PracticeFilter,
    get_practice,
    practice_page,
    shown_revision_number,
    visible_links,
)
from hub.vocabulary import stored

bp = Blueprint("api", __name__, url_prefix="/api/v1")  # exempt from form CSRF in web.py: checked in guard()
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@bp.before_request
def guard() -> Response | None:
    current_user._get_current_object()  # load the user now: a bearer token sets g.api_token
    expired = getattr(g, "api_token_expired", None)
    if expired is not None:
        response = problem(401, f"This token was valid until {valid_until(expired.token)}; create a new one.")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    token = getattr(g, "api_token", None)
    if token is not None:
        if request.method in UNSAFE and token.scope != TokenScope.READ_WRITE:
            return problem(403, "This token may only read (scope “read”).")
        wait = over_limit(token)
        if wait is not None:
            response = problem(429, f"Rate limit of this token reached; try again in {wait} s.")
            response.headers["Retry-After"] = str(wait)
            return response
    elif request.method in UNSAFE:
        if not current_user.is_authenticated:
            return problem(401, "Log in or send a token to change anything.")
        csrf.protect()
    return None


@bp.errorhandler(HTTPException)
def http_problem(error: HTTPException) -> Response:
    return from_http_exception(error)


@bp.errorhandler(PermissionDenied)
def denied(error: PermissionDenied) -> Response:
    return problem(403 if current_user.is_authenticated else 401, "Your role does not allow this.")


# --- helpers -----------------------------------------------------------------------------------
def page_args() -> tuple[int, int] | Response:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 20))
    except ValueError:
        return problem(400, "page and per_page must be whole numbers",
                       errors={"page": ["whole number"], "per_page": ["whole number"]})
    most = max_per_page()
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= most:
        return problem(400, f"1 ≤ page ≤ {MAX_PAGE} and 1 ≤ per_page ≤ {most}")
    return page, per_page


def paginated(items: list[Any], total: int, page: int, per_page: int) -> Response:
    def link(number: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"] + [("page", str(number))]
        return f"{request.base_url}?{urlencode(args)}"

    links: dict[str, str | None] = {"self": link(page), "next": None, "prev": None}
    if page * per_page < total:
        links["next"] = link(page + 1)
    if page > 1:
        links["prev"] = link(page - 1)
    response = jsonify({"total": total, "page": page, "per_page": per_page, "results": items, "links": links})
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return response


def practice_body(practice: Practice) -> dict[str, Any]:
    """A practice as the caller may see it: related practices they may see, the version number as
    they may know it (outsiders: counted over the published versions)."""
    outgoing, _incoming = visible_links(current_user, practice)
    related = [(link.target.slug, link.type.value) for link in outgoing]
    return practice_json(practice, related, shown_revision_number(current_user, practice))


def visible_practice(slug: str) -> Practice | Response:
    """The practice if the caller may see it, else a 404 problem (hidden and missing look alike)."""
    item = get_practice(current_user, slug)
    return item if item is not None else problem(404, f"No practice {slug!r} that you may see.")


# --- endpoints ---------------------------------------------------------------------------------
@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/centres")
def centres() -> Response:
    return jsonify({"results": [centre_json(c) for c in stored.centres()]})


@bp.get("/taxonomy")
def taxonomy() -> Response:
    return jsonify(
        {
            "sectors": [{"code": s.code, "name": s.name} for s in stored.sectors()],
            "sizes": [{"code": s.code, "name": s.name} for s in stored.sizes()],
            "topics": [{"slug": t.slug, "name": t.name} for t in stored.topics()],
            "tag_aliases": {
                a.alias: a.tag.name for a in db.session.scalars(sa.select(TagAlias).order_by(TagAlias.alias))
            },
            "synonyms": [
                g.terms for g in db.session.scalars(sa.select(SynonymGroup).order_by(SynonymGroup.position))
            ],
        }
    )


@bp.get("/practices")
def practices() -> Response:
    paging = page_args()
    if isinstance(paging, Response):
        return paging
    page, per_page = paging
    found = practice_page(current_user, PracticeFilter.from_args(request.args), page, per_page, source="api")
    return paginated([practice_summary(p) for p in found.items], found.total, page, per_page)


@bp.get("/practices/<slug>")
def practice(slug: str) -> Response:
    item = visible_practice(slug)
    if isinstance(item, Response):
        return item
    response = jsonify(practice_body(item))
    if item.head_revision_id:
        response.headers["ETag"] = f'"{item.head_revision_id}"'
    return response


@bp.get("/practices/<slug>/experiences")
def experiences(slug: str) -> Response:
    item = visible_practice(slug)
    if isinstance(item, Response):
        return item
    return jsonify({"results": [experience_json(r) for r in item.experiences]})


@bp.get("/collections")
def collections() -> Response:
    return jsonify(
        {
            "results": [
                collection_json(c, [p.slug for p in collection_practices(current_user, c)])
                for c in visible_collections(current_user)
            ]
        }
    )


@bp.get("/collections/<slug>")
def collection(slug: str) -> Response:
    item = get_collection(current_user, slug)
    if item is None:
        return problem(404, f"No collection {slug!r} that you may see.")
    return jsonify(collection_json(item, [p.slug for p in collection_practices(current_user, item)]))


@bp.get("/search")
def search() -> Response:
    return search_json()


@bp.get("/match")
def match() -> Response:
    return match_json()


def url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)
