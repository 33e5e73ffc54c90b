"""Security headers for a production site (issue 17 item 8, issue 11 item 19): a CSP that allows no
inline script, no framing, referrer and permissions policies, HSTS with subdomains over HTTPS, and
nothing kept in a cache that belongs to a logged-in user or carries a token."""

from __future__ import annotations

import re

from hub.api import tokens
from hub.extensions import db
from hub.models import TokenScope
from tests.factories import user
from tests.support import PROJECT


def _directives(policy: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_every_page_has_the_full_set_of_headers(client, session):
    """The CSP allows scripts from the hub only (no 'unsafe-inline'), no framing; the other headers."""
    response = client.get("/")
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("script-src", []) + policy["default-src"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would be ignored


def test_hsts_covers_subdomains_over_https(client, session):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_templates_carry_no_inline_script_or_event_handler():
    """The CSP forbids inline scripts, so no template may contain one: scripts are files in static/js."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)
    offenders = [
        f"{path.relative_to(PROJECT)}: {match.group(0)}"
        for path in (PROJECT / "hub" / "templates").rglob("*.html")
        for match in inline.finditer(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_pages_of_logged_in_users_are_not_stored(client, session, login_as):
    feed = client.get("/feeds/sectors/C.atom")  # public, without a cookie: caches may keep it
    assert not feed.headers.getlist("Set-Cookie") and feed.headers["Cache-Control"] == "public, max-age=300"
    login_as("jlehmann")
    for url in ("/", "/practices/", "/profile"):
        assert "no-store" in client.get(url).headers["Cache-Control"], url


def test_responses_carrying_a_token_are_not_stored(client, session):
    """A response that sets a cookie, or answers a request sent with an API token, is never cached."""
    login_page = client.get("/login")  # sets the session cookie holding the CSRF token
    assert login_page.headers.getlist("Set-Cookie") and "no-store" in login_page.headers["Cache-Control"]
    _token, plain = tokens.create_token(user("jlehmann"), "Test", TokenScope.READ)
    db.session.commit()
    answer = client.get("/api/v1/centres", headers={"Authorization": f"Bearer {plain}"})
    assert answer.status_code == 200 and "no-store" in answer.headers["Cache-Control"]
