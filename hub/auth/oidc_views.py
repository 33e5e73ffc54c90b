"""Single sign-on pages: ``/login/sso`` sends the browser to the OpenID provider, the provider sends
it back to ``/login/sso/callback`` (the redirect URI to register there).

Starting is a plain link (GET): it changes nothing but this browser's waiting login, and the answer
counts only with the state that was sent from this browser's session. With ``PASSWORD_LOGIN=0``
the password form, its POST and password reset are refused; single sign-on remains.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from hub.audit import AuditAction, record
from hub.auth import login_flow, oidc, oidc_accounts
from hub.extensions import db

bp = Blueprint("sso", __name__)
log = logging.getLogger("hub.auth")

# endpoints that only make sense with local passwords
_PASSWORD_ENDPOINTS = {"accounts.forgot", "accounts.reset", "accounts.change_password"}
_FAILURE = "_sso_failure"  # session key: the message of a failed sign-in, for the page after the redirect


def init_app(app: Flask) -> None:
    app.before_request(_refuse_password_login)
    app.context_processor(_login_choices)


@bp.get("/login/sso")
def start() -> Response | tuple[str, int]:
    if not oidc.configured():
        abort(404)
    try:  # ``next`` is checked where every login ends (hub.auth.login_flow)
        url = oidc.begin(url_for("sso.callback", _external=True), request.args.get("next", "")[:2000])
    except oidc.ProviderUnavailable as error:
        log.warning("single sign-on: provider unavailable at start (%s)", error)
        return _unavailable()
    return redirect(url)


@bp.get("/login/sso/callback")
def callback() -> Response | tuple[str, int]:
    if not oidc.configured():
        abort(404)
    try:
        identity = oidc.finish()
    except oidc.ProviderUnavailable as error:
        log.warning("single sign-on: provider unavailable at callback (%s)", error)
        return _unavailable()
    except oidc.SignInRefused as refused:
        log.warning("single sign-on refused: %s", refused.reason)
        return _failed(_("The sign-in could not be confirmed. Please start it again."), 400)
    try:
        user = oidc_accounts.account_for(identity)
    except oidc_accounts.SignInDenied as denied:
        db.session.rollback()
        log.info("single sign-on without account: %s", denied.reason)
        return _failed(denied.message, 403)
    record(user, AuditAction.USER_LOGIN_SSO, user.username, issuer=identity.issuer)
    db.session.commit()
    return login_flow.complete(user, remember=False, next_url=identity.next_url)


@bp.get("/login/sso/failed")
def failed() -> Response | tuple[str, int]:
    """Why the last sign-in did not work. The callback sends the browser here, so its address (with
    the provider's code) leaves the address bar, the history and every link of the page."""
    failure = session.pop(_FAILURE, None)
    if not isinstance(failure, dict):
        return redirect(url_for("auth.login"))
    return render_template("auth/sso_failed.html", message=failure["message"]), int(failure["status"])


def _unavailable() -> Response | tuple[str, int]:
    message = _("The sign-in service %(name)s cannot be reached right now. Please try again in a few "
                "minutes.", name=oidc.provider_name())
    return _failed(message, 503)


def _failed(message: str, status: int) -> Response | tuple[str, int]:
    if request.endpoint != "sso.callback":
        return render_template("auth/sso_failed.html", message=message), status
    session[_FAILURE] = {"message": message, "status": status}
    return redirect(url_for("sso.failed"))


def _refuse_password_login() -> None:
    """``PASSWORD_LOGIN=0``: no password form is accepted and no password reset is offered."""
    if oidc.password_login():
        return
    if request.endpoint in _PASSWORD_ENDPOINTS:
        abort(404)
    if request.endpoint == "auth.login" and request.method == "POST":
        abort(403)


def _login_choices() -> dict[str, Any]:
    return {
        "password_login": oidc.password_login(),
        "sso_name": oidc.provider_name() if oidc.configured() else None,
    }
