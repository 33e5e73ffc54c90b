"""Reading practices: the filtered list, the practice page and its history."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from hub import paging
from hub.extensions import db
from hub.markdown import render
from hub.models import Practice, Sector, SlugRedirect
from hub.paging import MAX_PAGE
from hub.practices.diff import file_changes
from hub.practices.queries import (
    PracticeFilter,
    get_practice,
    link_resolver,
    practice_page,
    visible_links,
    visible_revisions,
    visible_workflow,
)
from hub.practices.visibility import listable_statuses
from hub.search import search_service
from hub.vocabulary import Kind, Result, label, stored

bp = Blueprint("practices", __name__, url_prefix="/practices")


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


@bp.get("/")
def index() -> str:
    return render_practice_list("practices/index.html", PracticeFilter.from_args(request.args))


@bp.get("/<slug>")
def detail(slug: str) -> str:
    from hub.practices.forms import ConfirmForm, ExperienceForm, TransitionForm
    from hub.practices.workflow import available_transitions, review_feedback

    practice = visible_or_404(slug)
    outgoing, incoming = visible_links(current_user, practice)
    experience_form = ExperienceForm()
    experience_form.set_choices(current_user)
    if current_user.is_authenticated and current_user.centre_id:
        experience_form.centre.data = current_user.centre_id
    return render_template(
        "practices/detail.html",
        practice=practice,
        body=render(practice.body, link_resolver(current_user)),
        outgoing=outgoing,
        incoming=incoming,
        experience_summary=experience_summary(practice),
        transitions=available_transitions(current_user, practice),
        review_feedback=review_feedback(current_user, practice),
        transition_form=TransitionForm(),
        confirm_form=ConfirmForm(),
        experience_form=experience_form,
        similar=search_service().similar(current_user, practice.id),
    )


@bp.get("/<slug>/history")
def history(slug: str) -> str:
    from hub.practices.forms import ConfirmForm

    practice = visible_or_404(slug)
    revisions = visible_revisions(current_user, practice)
    files = {
        r.id: file_changes(older.data if older else None, r.data)
        for r, older in zip(revisions, [*revisions[1:], None], strict=True)
    }
    return render_template(
        "practices/history.html",
        practice=practice,
        revisions=revisions,
        files=files,
        changes=visible_workflow(current_user, practice),
        confirm_form=ConfirmForm(),
    )


def experience_summary(practice: Practice) -> list[tuple[Sector, Counter[str]]]:
    """Per sector: how often re-use worked, partly worked or failed."""
    by_sector: dict[str, tuple[Sector, Counter[str]]] = {}
    for report in practice.experiences:
        _, counts = by_sector.setdefault(report.sector_code, (report.sector, Counter()))
        counts[report.result.value] += 1
    return [by_sector[code] for code in sorted(by_sector)]


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
