"""Wires the web layer: blueprints, error pages, template helpers and security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hub.auth.permissions import Action, PermissionDenied, can
from hub.vocabulary import INVERSE_LABELS, LinkType, label

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    from hub import cli
    from hub.auth.views import bp as auth_bp
    from hub.auth.views import init_login
    from hub.collections.views import bp as collections_bp
    from hub.main.views import bp as main_bp
    from hub.practices.views import bp as practices_bp
    from hub.search.views import bp as search_bp
    from hub.taxonomy.views import bp as taxonomy_bp

    for blueprint in (main_bp, auth_bp, practices_bp, taxonomy_bp, collections_bp, search_bp):
        app.register_blueprint(blueprint)
    init_login(app)
    cli.init_app(app)

    app.jinja_env.globals.update(
        can=lambda action, obj=None: can(current_user, Action(action), obj),
        label=label,
        inverse_label=lambda value: str(INVERSE_LABELS[LinkType(value)]),
        current_locale=lambda: str(get_locale()),
        format_date=format_date,
        format_datetime=format_datetime,
    )
    app.jinja_env.filters["url_with"] = url_with
    app.after_request(_security_headers)
    _register_error_pages(app)


def url_with(args: Any, **changes: Any) -> str:
    """The current URL with some query parameters replaced (``None`` removes one)."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in args if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values)
    query = urlencode(pairs)
    return request.path + ("?" + query if query else "")


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user.is_authenticated:
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def _register_error_pages(app: Flask) -> None:
    def render_error(code: int, description: str | None = None) -> tuple[str, int]:
        return render_template("errors/error.html", code=code, description=description), code

    @app.errorhandler(PermissionDenied)
    def permission_denied(_error: PermissionDenied) -> tuple[str, int]:
        return render_error(403)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return render_error(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error", exc_info=error)
        return render_error(500)
