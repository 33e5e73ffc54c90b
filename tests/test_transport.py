"""HTTPS as the client sees it: Secure cookies over TLS, trusted proxies only when configured."""

from __future__ import annotations

import pytest

from tests.support import DEMO_PASSWORD, csrf_token


@pytest.fixture
def proxied_app(other_app):
    return other_app(PROXIES=1)


def _log_in(client, headers: dict[str, str] | None = None, base: str = "http://localhost"):
    """Log in as mkoch with "stay logged in", the way a browser would (over HTTPS, Flask-WTF also
    wants a same-origin Referer)."""
    for name, value in (headers or {}).items():  # the page with the form came the same way
        client.environ_base["HTTP_" + name.upper().replace("-", "_")] = value
    token = csrf_token(client, f"{base}/login")
    data = {"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token, "remember": "y"}
    headers = {"Referer": f"{base.replace('http:', 'https:')}/login", **(headers or {})}
    return client.post("/login", data=data, headers=headers, base_url=base)


def _cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_every_cookie_of_an_https_request_is_secure(app, session):
    response = _log_in(app.test_client(), base="https://localhost")
    assert response.status_code == 302
    names = {cookie.split("=", 1)[0] for cookie in _cookies(response)}
    assert {"__Host-session", "remember_token"} <= names  # the session and "stay logged in"
    assert all("; Secure" in cookie for cookie in _cookies(response)), _cookies(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_without_proxies_ignores_forwarded_headers(app, session):
    client = app.test_client()
    response = _log_in(client, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert _cookies(response) and not any("Secure" in cookie for cookie in _cookies(response))
    assert "Strict-Transport-Security" not in response.headers


def test_behind_a_trusted_proxy_its_https_counts(proxied_app, session):
    client = proxied_app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    response = _log_in(client, headers=forwarded)
    assert response.status_code == 302
    assert all("; Secure" in cookie for cookie in _cookies(response)), _cookies(response)
    assert "Strict-Transport-Security" in response.headers
    feed = client.get("/feeds/sectors/C.atom", headers={"X-Forwarded-Proto": "https"}).get_data(as_text=True)
    assert 'href="https://localhost/' in feed and "http://localhost" not in feed  # links as the client sees them


def test_behind_a_trusted_proxy_login_throttling_counts_the_real_client(proxied_app, session):
    attacker = proxied_app.test_client()
    for _ in range(proxied_app.config["LOGIN_MAX_ATTEMPTS"]):
        token = csrf_token(attacker, "/login")
        data = {"username": "mkoch", "password": "wrong", "csrf_token": token}
        assert attacker.post("/login", data=data, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 401
    token = csrf_token(attacker, "/login")
    data = {"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token}
    assert attacker.post("/login", data=data, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    colleague = proxied_app.test_client()  # another office behind the same proxy
    assert _log_in(colleague, headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 302
