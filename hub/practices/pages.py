"""What every page that shows practices shares: the filtered, paginated list (practices, topics,
tags, the evidence of a matrix cell) and "the practice, or a redirect from its old slug, or 404"."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from hub import paging
from hub.extensions import db
from hub.models import Practice, SlugRedirect
from hub.paging import MAX_PAGE
from hub.practices.queries import PracticeFilter, get_practice, practice_page
from hub.visibility import listable_statuses
from hub.vocabulary import Kind, Result, label, stored


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The values each list filter offers, with their German/English labels."""
    return {
        "sector": stored.sector_choices(),
        "size": stored.size_choices(),
        "topic": stored.topic_choices(),
        "kind": [(k.value, label(k)) for k in Kind],
        "centre": stored.centre_choices(),
        "outcome": [(r.value, label(r)) for r in Result],
        "status": [(s.value, label(s)) for s in listable_statuses(current_user)],
    }


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination (what the templates use) over a page the search index chose."""

    def _query_items(self) -> list[Any]:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


def render_practice_list(template: str, flt: PracticeFilter, **context: Any) -> str:
    """A paginated practice list under ``template``'s heading; used by every page that lists practices."""
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    per_page = paging.per_page()
    found = practice_page(current_user, flt, page, per_page, source="list")
    pagination = ListPagination(
        page=page, per_page=per_page, max_per_page=None, error_out=False, items=found.items, total=found.total
    )
    return render_template(
        template, pagination=pagination, flt=flt, choices=filter_choices(), facets=found.facets, **context
    )


def visible_or_404(slug: str) -> Practice:
    """The practice if the user may see it; an old slug redirects (301) to the current one."""
    practice = get_practice(current_user, slug)
    if practice is None:
        moved = db.session.get(SlugRedirect, slug)
        if moved is not None and get_practice(current_user, moved.practice.slug) is not None:
            args = {
                **(request.view_args or {}),
                "slug": moved.practice.slug,
                **request.args.to_dict(flat=True),
            }
            abort(redirect(url_for(request.endpoint or "practices.detail", **args), 301))
        abort(404)
    return practice
