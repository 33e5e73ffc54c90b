"""Login, logout, CSRF, safe redirects, rate limiting and session cookies."""

from __future__ import annotations

import pytest

from tests.factories import user
from tests.support import DEMO_PASSWORD, csrf_token, login, logout


@pytest.mark.parametrize("username", ["jlehmann", "aschmidt", "mkoch", "admin"])
def test_each_demo_role_can_log_in_and_out(client, username):
    response = login(client, username)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Abmelden" in page  # German by default
    logout(client)
    assert "Anmelden" in client.get("/").get_data(as_text=True)


def test_wrong_password_shows_a_field_error(client):
    response = login(client, "mkoch", "falsch")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Benutzername oder Passwort ist falsch" in html
    assert 'aria-invalid="true"' in html


def test_form_post_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "mkoch", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "Formular" in response.get_data(as_text=True)
    assert "Abmelden" not in client.get("/").get_data(as_text=True)


def test_logout_and_language_need_csrf(client):
    login(client, "mkoch")
    assert client.post("/logout").status_code == 400
    assert "Abmelden" in client.get("/").get_data(as_text=True)
    assert client.post("/language", data={"lang": "en"}).status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " //evil.example",
    ],
)
def test_next_never_leaves_the_site(client, target):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_local_page_is_followed(client):
    token = csrf_token(client, "/login?next=/practices/%3Fsector%3DC")
    response = client.post(
        "/login",
        data={
            "username": "mkoch",
            "password": DEMO_PASSWORD,
            "csrf_token": token,
            "next": "/practices/?sector=C",
        },
    )
    assert response.headers["Location"] == "/practices/?sector=C"


def test_login_attempts_are_rate_limited(client):
    for _ in range(5):
        assert login(client, "mkoch", "falsch").status_code == 401
    blocked = login(client, "mkoch", DEMO_PASSWORD)
    assert blocked.status_code == 429
    assert "Zu viele" in blocked.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client):
    response = login(client, "mkoch")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_configured(other_app):
    app = other_app(SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_inactive_accounts_cannot_log_in(client, session):
    user("jlehmann").active = False
    session.commit()
    assert login(client, "jlehmann").status_code == 401


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_language_switch_to_english_and_back(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "next": "/practices/", "csrf_token": token})
    assert response.headers["Location"] == "/practices/"
    html = client.get("/practices/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Practices" in html
    token = csrf_token(client, "/")
    client.post("/language", data={"lang": "de", "csrf_token": token})
    assert '<html lang="de">' in client.get("/").get_data(as_text=True)
