"""Login, logout (here or everywhere) and the language switch."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.auth import login_flow, operations, sessions, throttle
from hub.auth.forms import LanguageForm, LoginForm, PostForm
from hub.auth.redirects import safe_next
from hub.extensions import available_locales, db, login_manager

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    app.session_interface = sessions.HostOnlySessionInterface()
    app.before_request(sessions.expire_idle_session)
    login_manager.user_loader(sessions.user_for)

    # Bearer tokens: hub.api.tokens.login_by_token, for the API only (pages never read them).


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("main.index")))
    if form.validate_on_submit():
        client = request.remote_addr or "unknown"
        username = form.username.data.strip()
        if throttle.is_blocked(username, client):
            form.username.errors = [_("Too many failed attempts. Please wait a few minutes and try again.")]
            return render_template("auth/login.html", form=form), 429
        user = operations.authenticate(username, form.password.data)
        if user is not None:
            operations.record_login(user)
            db.session.commit()
            throttle.clear(username, client)
            return login_flow.complete(user, remember=bool(form.remember.data), next_url=form.next.data or "")
        operations.record_failed_login(username)
        db.session.commit()
        throttle.record_failure(username, client)
        form.password.errors = [_("User name or password is wrong.")]
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> str | Response:
    form = PostForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        sessions.end()
        flash(_("You are logged out."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/logout.html", form=form)


@bp.post("/profile/logout-everywhere")
@login_required
def logout_everywhere() -> Response:
    """End every session of the account — other browsers, "stay logged in" cookies, this one."""
    if not PostForm().validate_on_submit():
        abort(400)
    operations.end_sessions(current_user, current_user)
    db.session.commit()
    sessions.end()
    flash(_("You are logged out on all devices."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit() or form.lang.data not in available_locales():
        abort(400)
    session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data, url_for("main.index")))
