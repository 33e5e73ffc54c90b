"""HTTPS as the client sees it: trusted reverse proxies, and cookies that never travel in clear.

Behind ``HUB_PROXIES`` trusted reverse proxies, their ``X-Forwarded-*`` headers say which scheme,
host and client the request really came with (werkzeug's ProxyFix); without the setting they are
ignored, so no client can pretend to be someone else. Every cookie the hub sets — session, "stay
logged in", anything an extension adds — is marked ``Secure`` whenever the request came over HTTPS,
even where ``HUB_SESSION_COOKIE_SECURE`` was forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    app.wsgi_app = SecureCookies(app.wsgi_app)  # type: ignore[method-assign]  # Flask's documented middleware hook
    proxies = int(app.config["PROXIES"])
    if proxies > 0:  # outermost: the scheme it finds is what SecureCookies and the app see
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented middleware hook
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies
        )


class SecureCookies:
    """WSGI middleware: over HTTPS, ``Secure`` on every ``Set-Cookie`` that lacks it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def secure_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [_secured(name, value) for name, value in headers], exc_info)

        return self.app(environ, secure_start_response)


def _secured(name: str, value: str) -> tuple[str, str]:
    if name.lower() != "set-cookie":
        return name, value
    attributes = {part.strip().lower() for part in value.split(";")[1:]}
    return name, value if "secure" in attributes else f"{value}; Secure"
