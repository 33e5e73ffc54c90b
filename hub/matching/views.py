"""The client-profile page (“Für meinen Kunden”) and saved profiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.auth.forms import PostForm
from hub.extensions import db
from hub.matching.forms import SaveProfileForm, profile_from_args
from hub.matching.queries import match
from hub.models import CompanySize, SavedProfile, Sector, Topic

bp = Blueprint("matching", __name__)


@bp.get("/match")
def page() -> str:
    profile, form = profile_from_args(request.args)
    asked = any((profile.sector, profile.size, profile.state, profile.topics, profile.query))
    results = match(current_user, profile) if asked else []
    saved: Sequence[SavedProfile] = []
    if current_user.is_authenticated:
        saved = db.session.scalars(
            sa.select(SavedProfile)
            .where(SavedProfile.user_id == current_user.id)
            .order_by(SavedProfile.label)
        ).all()
    return render_template(
        "matching/page.html",
        form=form,
        profile=profile,
        asked=asked,
        results=results,
        names=_names(),
        saved=[(s, url_for("matching.page") + "?" + urlencode(_args(s), doseq=True)) for s in saved],
        save_form=SaveProfileForm(),
    )


@bp.post("/match/profiles")
@login_required
def save() -> Response:
    form = SaveProfileForm()
    profile, _form = profile_from_args(request.args)
    if not form.validate_on_submit():
        flash(_("Please give the profile a name (no client names)."), "error")
    else:
        db.session.add(
            SavedProfile(
                user=current_user,
                label=form.label.data.strip(),
                sector=profile.sector,
                size=profile.size,
                state=profile.state,
                topics=list(profile.topics),
                query=profile.query,
            )
        )
        db.session.commit()
        flash(_("Profile saved."), "success")
    args: dict[str, Any] = request.args.to_dict(flat=False)  # query values, none of url_for's _options
    return redirect(url_for("matching.page", **args))


@bp.post("/match/profiles/<int:profile_id>/delete")
@login_required
def delete(profile_id: int) -> Response:
    if not PostForm().validate_on_submit():
        abort(400)
    item = db.session.get(SavedProfile, profile_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    db.session.delete(item)
    db.session.commit()
    flash(_("Profile deleted."), "success")
    return redirect(url_for("matching.page"))


def _args(saved: SavedProfile) -> dict[str, object]:
    args: dict[str, object] = {
        k: v for k, v in (("sector", saved.sector), ("size", saved.size), ("state", saved.state)) if v
    }
    if saved.topics:
        args["topic"] = list(saved.topics)
    if saved.query:
        args["q"] = saved.query
    return args


def _names() -> dict[str, dict[str, str]]:
    return {
        "sector": dict(db.session.execute(sa.select(Sector.code, Sector.name)).tuples().all()),
        "size": dict(db.session.execute(sa.select(CompanySize.code, CompanySize.name)).tuples().all()),
        "topic": dict(db.session.execute(sa.select(Topic.slug, Topic.name)).tuples().all()),
    }
