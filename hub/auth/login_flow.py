"""The end of every login, by password or by single sign-on: one place for what follows once a
person has proved who they are."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from hub.auth import sessions
from hub.auth.redirects import safe_next
from hub.models import User


def complete(user: User, *, remember: bool, next_url: str) -> Response:
    """Log ``user`` in on a fresh session — or, with a second factor, send them to its code page
    first — and go on to ``next_url`` when it is a path on this site. Whether the account may log
    in at all was decided before (``authenticate``, ``oidc_accounts.account_for``)."""
    if user.has_second_factor:  # the code page (hub.accounts) finishes the login
        sessions.start_pending(user, remember=remember, next_url=next_url or "")
        return redirect(url_for("accounts.login_code"))
    sessions.start(user, remember=remember)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(safe_next(next_url, url_for("main.index")))
