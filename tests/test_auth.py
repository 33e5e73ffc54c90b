"""Login, logout, CSRF, safe redirects, rate limiting and session cookies."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from hub.auth.operations import record_failed_login
from hub.extensions import db
from hub.models import AuditEvent
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


def _login_audit() -> list[tuple[str, str | None, str, dict]]:
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.in_(["user.login-password", "user.login-failed"]))
        .order_by(AuditEvent.id)
    )
    return [(e.action, e.actor.username if e.actor else None, e.object_key, e.details) for e in events]


def test_password_logins_are_audited_right_and_wrong_never_the_password(client, session, caplog):
    """Rule: a password login is audited like a single sign-on (``user.login-password``, the account
    as actor); a refused one as ``user.login-failed`` under the user name typed — known or not — with
    no actor and nothing of the password; the log line names no one as its author."""
    caplog.set_level(logging.INFO, logger="hub")
    assert login(client, " mkoch ").status_code == 302
    logout(client)
    assert login(client, "mkoch", "falsch-geraten").status_code == 401
    assert login(client, "niemand-da", "geheim-123").status_code == 401
    user("jlehmann").active = False
    session.commit()
    assert login(client, "jlehmann").status_code == 401  # right password, deactivated account
    assert _login_audit() == [
        ("user.login-password", "mkoch", "mkoch", {}),
        ("user.login-failed", None, "mkoch", {}),
        ("user.login-failed", None, "niemand-da", {}),
        ("user.login-failed", None, "jlehmann", {}),
    ]
    everything = str(db.session.execute(sa.select(AuditEvent.object_key, AuditEvent.details)).all())
    assert "falsch-geraten" not in everything and "geheim-123" not in everything
    lines = [r.getMessage() for r in caplog.records if r.name == "hub.auth"]
    assert "mkoch: user.login-password mkoch" in lines and "anonymous: user.login-failed niemand-da" in lines


def test_blocked_logins_stay_blocked_and_are_not_audited(client, session):
    """Rule: the throttle works as before — five failures block the account from this client, the
    right password included — and a blocked attempt (no password checked) writes no audit row."""
    for _ in range(5):
        assert login(client, "mkoch", "falsch").status_code == 401
    assert login(client, "mkoch", DEMO_PASSWORD).status_code == 429
    assert login(client, "mkoch", "falsch").status_code == 429
    assert [action for action, *_rest in _login_audit()] == ["user.login-failed"] * 5


def test_a_typed_user_name_is_kept_printable_and_cut_to_the_column(session):
    """Rule: whatever was typed fits the audit log's column and cannot forge a log line."""
    record_failed_login("x" * 150 + "\nINFO forged line" + "y" * 100)
    db.session.flush()
    key = db.session.scalars(sa.select(AuditEvent.object_key).where(AuditEvent.action == "user.login-failed")).one()
    assert len(key) == 200 and "\n" not in key and key.startswith("x" * 150 + "?INFO forged line")
