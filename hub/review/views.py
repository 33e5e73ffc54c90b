"""The review queue (``/review``) for coordinators and the overdue list (``/review/due``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from hub.auth.permissions import Action, can
from hub.practices.forms import ConfirmForm, TransitionForm
from hub.practices.workflow import overdue, recent_changes, review_queue

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.get("/")
@login_required
def index() -> str:
    if not can(current_user, Action.REVIEW_PRACTICE):
        abort(403)
    return render_template(
        "review/index.html",
        queue=review_queue(),
        changes=recent_changes(),
        overdue_count=len(overdue(current_user)),
        form=TransitionForm(),
    )


@bp.get("/due")
@login_required
def due() -> str:
    if not can(current_user, Action.EDIT_PRACTICE):
        abort(403)
    return render_template("review/due.html", practices=overdue(current_user), form=ConfirmForm())
