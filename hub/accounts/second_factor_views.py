"""Second-factor pages: the code step of the login, turning it on and off, and the rule that
accounts needing one (``REQUIRE_2FA``) reach nothing else before it is on."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.accounts import second_factor
from hub.accounts.forms import (
    CodeForm,
    DisableSecondFactorByCodeForm,
    DisableSecondFactorForm,
    EnableSecondFactorForm,
)
from hub.accounts.views import bp
from hub.auth import sessions, throttle
from hub.auth.operations import AccountError
from hub.auth.redirects import safe_next
from hub.extensions import db
from hub.forms import TextForm
from hub.models import User

SETUP_KEY = "_totp_pending_secret"  # session key: the secret shown while turning it on
_OPEN_ENDPOINTS = {"accounts.second_factor", "auth.logout", "auth.language", "static", "accounts.login_code"}


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> str | Response | tuple[str, int]:
    waiting = sessions.pending()
    if waiting is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    user, remember, next_url = waiting
    form = CodeForm()
    if form.validate_on_submit():
        client = request.remote_addr or "unknown"
        if throttle.is_blocked(user.username, client):
            form.code.errors = [_("Too many failed attempts. Please wait a few minutes and try again.")]
            return render_template("accounts/login_code.html", form=form), 429
        if second_factor.verify(user, form.code.data):
            db.session.commit()
            throttle.clear(user.username, client)
            sessions.start(user, remember=remember)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(next_url, url_for("main.index")))
        db.session.rollback()
        throttle.record_failure(user.username, client)
        form.code.errors = [_("This code is not valid.")]
        return render_template("accounts/login_code.html", form=form), 401
    return render_template("accounts/login_code.html", form=form), 400 if form.errors else 200


@bp.route("/account/second-factor", methods=["GET", "POST"], endpoint="second_factor")
@login_required
def second_factor_page() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    if user.has_second_factor:
        return _disable_page(user)
    secret = session.get(SETUP_KEY) or second_factor.new_secret()
    session[SETUP_KEY] = secret
    form = EnableSecondFactorForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.enable(user, secret, form.code.data)
        except AccountError as error:
            db.session.rollback()
            form.code.errors = [str(error)]
        else:
            db.session.commit()
            session.pop(SETUP_KEY, None)
            return render_template("accounts/recovery_codes.html", codes=codes)
    return render_template(
        "accounts/second_factor.html", form=form, qr=second_factor.qr_svg(user, secret), secret=secret,
        required=second_factor.required_for(user),
    ), 400 if form.errors else 200


def _disable_page(user: User) -> str | Response | tuple[str, int]:
    if not second_factor.confirms_with_password(user):
        return _disable_by_code_page(user)
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        try:
            second_factor.disable(user, password=form.password.data)
        except AccountError as error:
            db.session.rollback()
            form.password.errors = [str(error)]
        else:
            return _disabled()
    return _disable_form(user, form)


def _disable_by_code_page(user: User) -> str | Response | tuple[str, int]:
    """No password logins accept (single sign-on only): a current code confirms, throttled like the
    code step of the login."""
    form = DisableSecondFactorByCodeForm()
    if form.validate_on_submit():
        client = request.remote_addr or "unknown"
        if throttle.is_blocked(user.username, client):
            form.code.errors = [_("Too many failed attempts. Please wait a few minutes and try again.")]
            return _disable_form(user, form)[0], 429
        try:
            second_factor.disable(user, code=form.code.data)
        except AccountError as error:
            db.session.rollback()
            throttle.record_failure(user.username, client)
            form.code.errors = [str(error)]
        else:
            throttle.clear(user.username, client)
            return _disabled()
    return _disable_form(user, form)


def _disabled() -> Response:
    db.session.commit()
    flash(_("The second factor is off."), "success")
    return redirect(url_for("accounts.account"))


def _disable_form(user: User, form: TextForm) -> tuple[str, int]:
    return render_template(
        "accounts/second_factor_on.html", form=form, left=second_factor.unused_recovery_codes(user),
        required=second_factor.required_for(user),
    ), 400 if form.errors else 200


def require_second_factor() -> Response | None:
    """Before each request: a logged-in account whose role needs a second factor and has none is
    sent to turn it on (pages) or refused (API, with a session) — API tokens are not affected."""
    if request.endpoint in _OPEN_ENDPOINTS or not current_user.is_authenticated:
        return None
    if getattr(g, "api_token", None) is not None:
        return None
    if current_user.has_second_factor or not second_factor.required_for(current_user):
        return None
    if request.blueprint == "api":
        abort(403)
    flash(_("Your role needs a second factor. Please turn it on to continue."), "info")
    return redirect(url_for("accounts.second_factor"))


