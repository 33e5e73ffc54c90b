"""The account page (/account), password change, and "forgot password" by mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from hub.accounts import operations
from hub.accounts import reset as resets
from hub.accounts.forms import AccountForm, ForgotForm, PasswordChangeForm, ResetForm
from hub.auth import sessions
from hub.auth.operations import AccountError
from hub.extensions import available_locales, db

bp = Blueprint("accounts", __name__)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response | tuple[str, int]:
    user = current_user
    form = AccountForm(locales=available_locales(), data=_account_data())
    password_form = PasswordChangeForm(prefix="pw")
    if request.method == "POST" and form.validate_on_submit():
        try:
            operations.update_account(
                user, name=form.name.data, email=form.email.data, language=form.language.data,
                digest=form.digest.data,
            )
        except AccountError as error:
            db.session.rollback()
            return _with_error(form, error, password_form)
        db.session.commit()
        session["lang"] = user.language
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.account"))
    status = 400 if form.errors else 200
    return render_template("accounts/account.html", form=form, password_form=password_form), status


@bp.post("/account/password")
@login_required
def change_password() -> str | Response | tuple[str, int]:
    form = AccountForm(locales=available_locales(), data=_account_data())
    password_form = PasswordChangeForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            operations.change_password(
                current_user, current=password_form.current.data, new=password_form.password.data
            )
        except AccountError as error:
            db.session.rollback()
            return _with_error(password_form, error, password_form, account_form=form)
        db.session.commit()
        # this browser stays logged in under the new generation; all others end
        sessions.start(current_user._get_current_object(), remember=False)
        flash(_("Your password is changed. You are logged out on all other devices."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, password_form=password_form), 400


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot() -> str | tuple[str, int]:
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            resets.request_reset(form.email.data, request.remote_addr or "unknown")
            db.session.commit()
        except resets.Throttled:
            form.email.errors = [_("Too many requests. Please wait an hour and try again.")]
            return render_template("accounts/forgot.html", form=form), 429
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response | tuple[str, int]:
    if resets.valid_reset(token) is None:
        return render_template("accounts/link_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = resets.reset_password(token, form.password.data)
        except AccountError as error:
            db.session.rollback()
            form.password.errors = [str(error)]
            return render_template("accounts/reset.html", form=form), 400
        db.session.commit()
        sessions.end()
        flash(_("Your new password is set. Please log in with it, %(name)s.", name=user.name), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


def _account_data() -> dict[str, object]:
    user = current_user
    return {"name": user.name, "email": user.email, "digest": user.digest,
            "language": user.language or _current_language()}


def _current_language() -> str:
    return str(get_locale())


def _with_error(
    form: FlaskForm,
    error: AccountError,
    password_form: PasswordChangeForm,
    account_form: FlaskForm | None = None,
) -> tuple[str, int]:
    field = getattr(form, error.field, None)
    if field is None:
        abort(400)
    field.errors = [*field.errors, str(error)]
    return render_template(
        "accounts/account.html", form=account_form or form, password_form=password_form
    ), 400
