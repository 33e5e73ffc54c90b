"""Reading practices: the filtered list, the practice page and its history."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, render_template, request
from flask_login import current_user

from hub.markdown import render
from hub.models import Practice, Sector
from hub.practices.diff import file_changes
from hub.practices.forms import ConfirmForm, ExperienceForm, TransitionForm
from hub.practices.pages import render_practice_list, visible_or_404
from hub.practices.queries import (
    PracticeFilter,
    link_resolver,
    visible_links,
    visible_revisions,
    visible_workflow,
)
from hub.practices.workflow import available_transitions, review_feedback
from hub.search import search_service

bp = Blueprint("practices", __name__, url_prefix="/practices")




@bp.get("/")
def index() -> str:
    return render_practice_list("practices/index.html", PracticeFilter.from_args(request.args))


@bp.get("/<slug>")
def detail(slug: str) -> str:
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
