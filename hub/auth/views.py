"""Login, logout and the language switch."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from hub.auth import throttle
from hub.auth.forms import LanguageForm, LoginForm, PostForm
from hub.auth.redirects import safe_next
from hub.extensions import available_locales, db, login_manager
from hub.models import User

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    @login_manager.request_loader
    def load_user_from_token(req: object) -> User | None:
        from hub.api.tokens import authenticate

        token = authenticate(req.headers.get("Authorization"))  # type: ignore[attr-defined]
        if token is None:
            return None
        g.api_token = token
        return token.user


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
        user = db.session.scalars(db.select(User).where(User.username == username)).one_or_none()
        if user is not None and user.active and user.check_password(form.password.data):
            throttle.clear(username, client)
            _fresh_session()  # no session fixation
            login_user(user, remember=bool(form.remember.data))
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data, url_for("main.index")))
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
        logout_user()
        _fresh_session()
        flash(_("You are logged out."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/logout.html", form=form)


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit() or form.lang.data not in available_locales():
        abort(400)
    session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data, url_for("main.index")))


def _fresh_session() -> None:
    """Drop everything from the session but the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
