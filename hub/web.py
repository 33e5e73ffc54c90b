"""Wires the web layer: blueprints, error pages, template helpers and security headers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, current_app, render_template, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from hub import cli, translation
from hub.accounts import data_views, invitation_views, second_factor_views  # noqa: F401 - their pages
from hub.accounts.views import bp as accounts_bp
from hub.admin.views import bp as admin_bp
from hub.api import attachments as api_attachments  # noqa: F401 - registers its endpoints
from hub.api import tokens as api_tokens
from hub.api import writes  # noqa: F401 - registers the write endpoints on the API blueprint
from hub.api.forms import TokenForm
from hub.api.problems import from_http_exception, problem, retry_after
from hub.api.v1 import bp as api_bp
from hub.api.views import bp as api_tokens_bp
from hub.attachments.views import bp as attachments_bp
from hub.auth import oidc_views
from hub.auth.permissions import Action, PermissionDenied, can
from hub.auth.views import bp as auth_bp
from hub.auth.views import init_login
from hub.collections.queries import collections_containing
from hub.collections.views import bp as collections_bp
from hub.editor.views import bp as editor_bp
from hub.extensions import csrf
from hub.feeds.views import bp as feeds_bp
from hub.following import operations as following
from hub.following.views import bp as following_bp
from hub.insights.views import bp as insights_bp
from hub.main.views import bp as main_bp
from hub.matching.views import bp as matching_bp
from hub.models import WatchTarget
from hub.practices.views import bp as practices_bp
from hub.review.views import bp as review_bp
from hub.saved_searches.criteria import MAX_KEY, SavedSearch
from hub.saved_searches.labels import feed_url as search_feed_url
from hub.search.views import bp as search_bp
from hub.taxonomy.manage import bp as tagadmin_bp
from hub.taxonomy.views import bp as taxonomy_bp
from hub.uploads.views import bp as uploads_bp
from hub.vocabulary import INVERSE_LABELS, Kind, LinkType, Result, label

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
NO_STORE = "private, no-store"


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` in every route: an id beyond a database integer cannot exist, so it becomes 0,
    which no row has — the view answers "not found" instead of the database failing with a 500."""

    def to_python(self, value: str) -> int:
        number = int(super().to_python(value))
        return number if number <= 2**31 - 1 else 0


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(api_tokens.login_by_token)  # before any hook asks who is logged in
    for blueprint in (
        main_bp,
        auth_bp,
        oidc_views.bp,
        accounts_bp,
        practices_bp,
        editor_bp,
        attachments_bp,
        review_bp,
        tagadmin_bp,
        uploads_bp,
        taxonomy_bp,
        collections_bp,
        feeds_bp,
        following_bp,
        matching_bp,
        api_bp,
        api_tokens_bp,
        insights_bp,
        admin_bp,
        search_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API checks CSRF itself: tokens need none, sessions send X-CSRFToken
    init_login(app)
    oidc_views.init_app(app)  # single sign-on; PASSWORD_LOGIN=0 turns the password pages off
    cli.init_app(app)
    translation.init_app(app)  # after Flask-Babel's: its template callables are replaced

    app.jinja_env.globals.update(
        can=lambda action, obj=None: can(current_user, Action(action), obj),
        label=label,
        inverse_label=lambda value: str(INVERSE_LABELS[LinkType(value)]),
        current_locale=lambda: str(get_locale()),
        format_date=format_date,
        format_datetime=format_datetime,
        collections_of=lambda practice: collections_containing(current_user, practice),
        is_watching=lambda target, key: following.is_watching(current_user, WatchTarget(target), str(key)),
        unread_notifications=lambda: following.unread_count(current_user),
        api_tokens=lambda: api_tokens.user_tokens(current_user),
        token_valid_until=api_tokens.valid_until,
        hub_today=api_tokens.hub_today,
        new_token_form=TokenForm,
        saved_search=lambda req: SavedSearch.of(req.q, req.filters),
        search_feed_url=search_feed_url,
        max_watch_key=MAX_KEY,
    )
    app.jinja_env.filters["url_with"] = url_with
    app.jinja_env.filters["kind"] = Kind
    app.jinja_env.filters["result"] = Result
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    _register_error_pages(app)


def url_with(args: Any, **changes: Any) -> str:
    """The current URL with some query parameters replaced (``None`` removes one)."""
    pairs = [(k, v) for k, v in args if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values)
    query = urlencode(pairs)
    return request.path + ("?" + query if query else "")


def _refuse_nul_characters() -> None:
    """No text field of the hub contains NUL, and PostgreSQL refuses it: answer 400 instead of 500."""
    values = [v for _k, vs in request.args.lists() for v in vs]
    if request.method in {"POST", "PUT", "PATCH"}:
        values += [v for _k, vs in request.form.lists() for v in vs]
        if request.is_json:
            values.append(request.get_data(as_text=True).replace("\\u0000", "\x00"))
    if any("\x00" in value for value in values):
        abort(400)


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if _carries_token(response):
        headers["Cache-Control"] = NO_STORE  # a cookie or an answer to a token: never in any cache
    elif _private_page(response):
        headers["Cache-Control"] = NO_STORE  # a logged-in user's page: not kept for the next user
    return response


def _private_page(response: Any) -> bool:
    return bool(current_user.is_authenticated) and (
        response.mimetype == "text/html" or "Cache-Control" not in response.headers
    )


def _carries_token(response: Any) -> bool:
    """The response sets a cookie (session, "stay logged in") or answers a request that sent a
    token (``Authorization``); a page showing a new API token is a logged-in user's page.

    Flask writes the session cookie and Flask-Login the remember cookie after this hook, so what
    they will do is asked, not looked up in the headers."""
    if "Set-Cookie" in response.headers or "Authorization" in request.headers:
        return True
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy
    will_save = app.session_interface.should_set_cookie(app, session) and (bool(session) or session.modified)
    return will_save or session.get("_remember") in {"set", "clear"}


def _register_error_pages(app: Flask) -> None:
    """Error pages — and below ``/api/`` every error as ``application/problem+json``, whichever hook
    raised it (a failed CSRF check, a wrong method, too large a body, a limit, a route that is not)."""

    def render_error(code: int, description: str | None = None) -> tuple[str, int]:
        return render_template("errors/error.html", code=code, description=description), code

    @app.errorhandler(PermissionDenied)
    def permission_denied(_error: PermissionDenied) -> Any:
        if _for_api():
            return problem(403 if current_user.is_authenticated else 401, "Your role does not allow this.")
        return render_error(403)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        if _for_api():
            detail = (f"{error.description} Send the page's CSRF token as the X-CSRFToken header, or "
                      "authenticate with a token instead of the browser session.")
            return problem(400, detail, title="CSRF check failed")
        return render_error(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        if _for_api():
            return from_http_exception(error)
        body, code = render_error(error.code)
        return body, code, retry_after(error)

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> Any:
        app.logger.exception("unhandled error", exc_info=error)
        if _for_api():
            return problem(500)
        return render_error(500)


def _for_api() -> bool:
    """The request went to the API (``/api/…``, its documentation included): errors are problems."""
    return request.path == "/api" or request.path.startswith("/api/")
