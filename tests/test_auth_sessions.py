"""Sessions and tokens end when they should (issue 11, items 2, 3, 10, 13, 19).

Bearer tokens count on the API only; logout deletes "stay logged in"; a per-account generation in
every session and remember cookie ends them all on log-out-everywhere, password change and
deactivation; idle and absolute lifetimes; login without user-name timing and with client-wide and
global throttling; the ``__Host-`` session cookie over HTTPS; API tokens with an expiry date.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from flask_login.utils import encode_cookie

import hub.models.accounts as accounts_module
from hub.api import tokens
from hub.auth import operations, sessions
from hub.extensions import db
from hub.models import ApiToken, TokenScope
from tests.factories import user
from tests.support import DEMO_PASSWORD, csrf_token, login

PROFILE = "/account"


def _remembered_login(client, username: str = "mkoch"):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token, "remember": "y"}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def _logged_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def _client_with(app, **cookies: str):
    """A new browser that has nothing but the given cookies (captured from another one)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _captured(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")}


def _set_cookie(response, name: str) -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert found, response.headers.getlist("Set-Cookie")
    return found[0]


# --- item 2: bearer tokens are for the API only ----------------------------------------------------
def test_a_token_opens_no_html_page_and_cannot_mint_a_token(client, session):
    """Rule: ``Authorization: Bearer`` authenticates the API blueprint only; on pages, the profile and
    its token forms included, the caller is anonymous — a token can never create another token."""
    _item, plain = tokens.create_token(user("jlehmann"), "Lesen", TokenScope.READ)
    db.session.commit()
    bearer = {"Authorization": f"Bearer {plain}"}
    page = client.get(PROFILE, headers=bearer)
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    form_token = csrf_token(client, "/login")
    minted = client.post("/profile/tokens", headers=bearer,
                         data={"csrf_token": form_token, "name": "Mehr Rechte", "scope": "read-write"})
    assert minted.status_code == 302 and "/login" in minted.headers["Location"]
    assert not db.session.scalars(sa.select(ApiToken).where(ApiToken.name == "Mehr Rechte")).all()
    assert client.get("/api/v1/practices", headers=bearer).status_code == 200  # the API still takes it


# --- item 3: logout, generation, lifetimes --------------------------------------------------------
def test_logout_deletes_the_remember_cookie(client, session):
    """Rule: logging out deletes the "stay logged in" cookie, not only the session."""
    _remembered_login(client)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    cleared = _set_cookie(response, "remember_token")
    assert cleared.startswith("remember_token=;") and "Expires=Thu, 01 Jan 1970" in cleared
    assert client.get_cookie("remember_token") is None and not _logged_in(client)


def test_remember_cookie_lasts_at_most_30_days(client, session):
    """Rule: "stay logged in" lasts at most 30 days (REMEMBER_COOKIE_DURATION)."""
    cookie = _set_cookie(_remembered_login(client), "remember_token")
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)


def test_logout_everywhere_ends_captured_sessions_and_remember_cookies(app, client, session):
    """Rule: "log out everywhere" raises the account's session generation: a session cookie and a
    remember cookie captured before stop working, on every device."""
    _remembered_login(client)
    captured = _captured(client)
    other_device = app.test_client()
    _remembered_login(other_device)
    assert _logged_in(_client_with(app, session=captured["session"]))
    response = client.post("/profile/logout-everywhere", data={"csrf_token": csrf_token(client, PROFILE)})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "remember_token=;" in _set_cookie(response, "remember_token")
    assert not _logged_in(client) and not _logged_in(other_device)
    assert not _logged_in(_client_with(app, session=captured["session"]))
    assert not _logged_in(_client_with(app, remember_token=captured["remember_token"]))
    fresh = app.test_client()
    _remembered_login(fresh)
    assert _logged_in(fresh)  # a new login works as before


def test_a_new_password_ends_every_session(app, client, session):
    """Rule: `hub user passwd` and the admin's password reset end the account's sessions."""
    _remembered_login(client)
    captured = _captured(client)
    result = app.test_cli_runner().invoke(args=["user", "passwd", "mkoch"], input="geheim-1234\ngeheim-1234\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not _logged_in(client)
    assert not _logged_in(_client_with(app, remember_token=captured["remember_token"]))
    assert login(client, "mkoch", "geheim-1234").status_code == 302
    captured = _captured(client)
    operations.set_password(user("admin"), user("mkoch"), "noch-geheimer-99")  # the admin form's operation
    db.session.commit()
    assert not _logged_in(_client_with(app, session=captured["session"]))


def test_deactivation_ends_sessions_for_good(app, client, session):
    """Rule: deactivating an account ends its sessions; reactivating it does not revive them."""
    _remembered_login(client)
    captured = _captured(client)
    mkoch = user("mkoch")
    fields = {"name": mkoch.name, "email": mkoch.email, "role": mkoch.role, "centre": mkoch.centre}
    operations.update_user(None, mkoch, **fields, active=False)
    db.session.commit()
    operations.update_user(None, mkoch, **fields, active=True)
    db.session.commit()
    assert not _logged_in(client)
    assert not _logged_in(_client_with(app, **captured))


def test_a_remember_cookie_of_the_bare_user_id_is_refused(app, client, session):
    """Rule: the remember cookie is no longer a fixed HMAC of the user id, valid on every login."""
    with app.test_request_context():
        legacy = encode_cookie(str(user("mkoch").id))
    assert not _logged_in(_client_with(app, remember_token=legacy))


def test_a_login_ends_after_the_absolute_lifetime_even_if_remembered(app, client, session):
    """Rule: a login (session or remember cookie) is refused SESSION_MAX_DAYS after it was made."""
    mkoch = user("mkoch")
    max_age = app.config["SESSION_MAX_DAYS"] * 86400
    with app.test_request_context():
        recent = encode_cookie(sessions.identity(mkoch, int(time.time()) - max_age + 3600))
        too_old = encode_cookie(sessions.identity(mkoch, int(time.time()) - max_age - 60))
    assert _logged_in(_client_with(app, remember_token=recent))
    assert not _logged_in(_client_with(app, remember_token=too_old))


def test_an_idle_session_ends_and_a_remember_cookie_starts_a_new_one(app, client, session):
    """Rule: a session unused for SESSION_IDLE_HOURS ends; "stay logged in" then logs in again."""
    idle = app.config["SESSION_IDLE_HOURS"] * 3600 + 60
    login(client, "mkoch")
    assert _logged_in(client)
    with client.session_transaction() as stored:
        stored[sessions.SEEN] = int(time.time()) - idle
    assert not _logged_in(client)
    remembered = app.test_client()
    _remembered_login(remembered)
    with remembered.session_transaction() as stored:
        stored[sessions.SEEN] = int(time.time()) - idle
    assert _logged_in(remembered)


# --- item 13: login timing and throttling ---------------------------------------------------------
def test_the_password_is_hashed_for_unknown_and_inactive_accounts_too(client, session, monkeypatch):
    """Rule: unknown, inactive and existing accounts cost the same password-hash check, so the time a
    failed login takes does not tell which user names exist."""
    calls: list[str] = []
    real = accounts_module.check_password_hash

    def counting(stored: str, password: str) -> bool:
        calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(accounts_module, "check_password_hash", counting)
    user("jlehmann").active = False
    db.session.commit()
    for username in ("gibt-es-nicht", "jlehmann", "mkoch"):
        calls.clear()
        assert login(client, username, "falsches-passwort").status_code == 401
        assert calls == ["falsches-passwort"], username


@pytest.mark.parametrize("setting", ["LOGIN_MAX_ATTEMPTS_PER_CLIENT", "LOGIN_MAX_ATTEMPTS_GLOBAL"])
def test_failed_logins_are_limited_per_client_and_globally(app, client, session, setting):
    """Rule: besides per account and client, failed logins are limited per client (across accounts)
    and in the whole hub (across clients)."""
    saved = app.config[setting]
    app.config[setting] = 3
    try:
        for number, username in enumerate(("mkoch", "aschmidt", "jlehmann")):
            address = "192.0.2.1" if setting.endswith("CLIENT") else f"192.0.2.{number + 10}"
            guesser = app.test_client()
            guesser.environ_base["REMOTE_ADDR"] = address
            assert login(guesser, username, "falsch").status_code == 401
        client.environ_base["REMOTE_ADDR"] = "192.0.2.1" if setting.endswith("CLIENT") else "192.0.2.99"
        blocked = login(client, "admin")
        assert blocked.status_code == 429
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "198.51.100.5"
        assert login(other, "admin").status_code == (302 if setting.endswith("CLIENT") else 429)
    finally:
        app.config[setting] = saved


# --- item 19: cookie prefix, token expiry ---------------------------------------------------------
def test_over_https_the_session_cookie_has_the_host_prefix(app, session):
    """Rule: over HTTPS the session cookie is ``__Host-session``: Secure, Path=/, no Domain."""
    browser = app.test_client()
    base = "https://localhost"
    token = csrf_token(browser, f"{base}/login")
    response = browser.post("/login", base_url=base, headers={"Referer": f"{base}/login"},
                            data={"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    cookie = _set_cookie(response, "__Host-session")
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    assert "secure" in attributes and "path=/" in attributes
    assert not any(part.startswith("domain=") for part in attributes)
    assert browser.get(PROFILE, base_url=base).status_code == 200


def test_a_token_with_an_expiry_date_is_refused_afterwards(app, client, session, login_as):
    """Rule: API tokens may get an expiry date (chosen on the profile, shown there); an expired token
    gets a 401 problem, not the anonymous view."""
    login_as("jlehmann")
    form = {"csrf_token": csrf_token(client, PROFILE), "name": "Befristet", "scope": "read"}
    past = client.post("/profile/tokens", data={**form, "valid_until": "2020-01-01"})
    assert past.status_code == 302
    assert not db.session.scalars(sa.select(ApiToken).where(ApiToken.name == "Befristet")).all()
    today = tokens.hub_today().isoformat()
    page = client.post("/profile/tokens", data={**form, "valid_until": today})
    plain = page.get_data(as_text=True).split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert "gültig bis" in page.get_data(as_text=True)
    stored = db.session.scalars(sa.select(ApiToken).where(ApiToken.name == "Befristet")).one()
    assert tokens.valid_until(stored) == tokens.hub_today()
    bearer = {"Authorization": f"Bearer {plain}"}
    program = app.test_client()
    assert program.get("/api/v1/practices", headers=bearer).status_code == 200
    assert "gültig bis" in client.get(PROFILE).get_data(as_text=True)
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    refused = program.get("/api/v1/practices", headers=bearer)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert "valid until" in refused.get_json()["detail"]
    assert "abgelaufen" in client.get(PROFILE).get_data(as_text=True)
