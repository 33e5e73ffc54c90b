"""“Meine Daten herunterladen” and “Konto löschen” (own; admins delete on request on the admin page)."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from hub.accounts import personal_data
from hub.accounts.forms import DeleteAccountForm
from hub.accounts.views import bp
from hub.auth import sessions
from hub.auth.operations import AccountError
from hub.extensions import db

CONFIRM_WORD = "LÖSCHEN"


@bp.get("/account/data.json")
@login_required
def my_data() -> Response:
    data = personal_data.my_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="praxis-hub-{current_user.username}.json"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete() -> str | BaseResponse | tuple[str, int]:
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if form.confirm_text.data.strip().upper() != CONFIRM_WORD:
            form.confirm_text.errors = [_("Please type %(word)s.", word=CONFIRM_WORD)]
        elif not user.check_password(form.password.data):
            form.password.errors = [_("The current password is wrong.")]
        else:
            try:
                personal_data.delete_account(user, user)
            except AccountError as error:
                db.session.rollback()
                form.password.errors = [str(error)]
            else:
                db.session.commit()
                sessions.end()
                flash(_("Your account is deleted."), "success")
                return redirect(url_for("main.index"))
    return render_template("accounts/delete.html", form=form, word=CONFIRM_WORD), 400 if form.errors else 200
