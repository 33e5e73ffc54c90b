"""Token management on the account page, and the readable API documentation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.api import tokens
from hub.api.forms import TokenForm
from hub.api.openapi import openapi_document
from hub.auth.forms import PostForm
from hub.extensions import db
from hub.models import TokenScope

bp = Blueprint("api_pages", __name__)


@bp.get("/api/docs")
def docs() -> str:
    return render_template("api/docs.html", spec=openapi_document())


@bp.post("/profile/tokens")
@login_required
def create() -> str | Response:
    form = TokenForm()
    if not form.validate_on_submit():
        flash(form.valid_until.errors[0] if form.valid_until.errors else _("Please give the token a name."),
              "error")
        return redirect(url_for("accounts.account") + "#api-tokens")
    token, plain = tokens.create_token(current_user, form.name.data, TokenScope(form.scope.data),
                                       form.valid_until.data)
    db.session.commit()
    return render_template("api/token_created.html", token=token, plain=plain)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    if not PostForm().validate_on_submit():
        abort(400)
    if not tokens.revoke_token(current_user, token_id):
        abort(404)
    db.session.commit()
    flash(_("The token was revoked."), "success")
    return redirect(url_for("accounts.account") + "#api-tokens")
