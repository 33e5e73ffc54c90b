"""Issue 14, item 5: a second factor (TOTP) with 10 single-use recovery codes.

Turning it on needs a valid code; the login then asks for a code after the password; codes are
single-use and throttled like passwords; recovery codes are stored hashed and work once;
HUB_REQUIRE_2FA makes it mandatory for a role before anything else; admins can take it away
(audited, sessions end).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import AuditEvent, RecoveryCode, User
from tests.support import DEMO_PASSWORD, csrf_token, login, logout


def _user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def _turn_on(client) -> tuple[str, list[str]]:
    """Turn the second factor on for the logged-in account; returns (secret, recovery codes)."""
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn here, the URI not exposed
    secret = re.search(r'<code class="secret-key">([A-Z2-7]+)</code>', page).group(1)
    token = csrf_token(client, "/account/second-factor")
    done = client.post("/account/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True))
    return secret, codes


def _password_step(client, username: str = "jlehmann"):
    response = login(client, username)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    return response


def _code(client, code: str):
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_turning_on_needs_a_valid_code_and_gives_ten_hashed_recovery_codes(client, session, login_as):
    """Rule: a wrong code turns nothing on; a right one gives 10 recovery codes, stored only hashed."""
    login_as("jlehmann")
    client.get("/account/second-factor")
    token = csrf_token(client, "/account/second-factor")
    wrong = client.post("/account/second-factor", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 400 and "nicht gültig" in wrong.get_data(as_text=True)
    assert not _user("jlehmann").has_second_factor
    _secret, codes = _turn_on(client)
    assert len(set(codes)) == 10
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)


def test_login_asks_for_the_code_and_a_code_counts_once(app, client, session, login_as):
    """Rule: with a second factor the password alone does not log in; a TOTP code works once."""
    login_as("jlehmann")
    secret, _codes = _turn_on(client)
    logout(client)
    _password_step(client)
    assert not _logged_in(client)
    code = pyotp.TOTP(secret).now()
    assert _code(client, code).status_code == 401  # used when turning it on: not again
    assert not _logged_in(client)
    next_code = pyotp.TOTP(secret).at(datetime.now(UTC), counter_offset=1)
    assert _code(client, next_code).status_code == 302  # the next step (clock drift) is accepted once
    assert _logged_in(client)
    logout(client)
    _password_step(client)
    assert _code(client, next_code).status_code == 401


def test_recovery_codes_work_once(client, session, login_as):
    """Rule: a recovery code stands in for the app code, once."""
    login_as("jlehmann")
    _secret, codes = _turn_on(client)
    logout(client)
    _password_step(client)
    assert _code(client, codes[0].upper()).status_code == 302
    logout(client)
    _password_step(client)
    assert _code(client, codes[0]).status_code == 401
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.use-recovery-code")).one()


def test_codes_are_throttled_like_passwords(app, client, session, login_as):
    """Rule: after LOGIN_MAX_ATTEMPTS wrong codes even a right one is refused for a while (429)."""
    login_as("jlehmann")
    _, codes = _turn_on(client)
    logout(client)
    _password_step(client)
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert _code(client, "123456").status_code == 401
    assert _code(client, codes[1]).status_code == 429
    assert not _logged_in(client)


def test_the_code_page_without_a_password_step_leads_to_login(client, session):
    """Rule: nobody reaches the code step without the right password first (forged session)."""
    response = client.get("/login/code")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_require_2fa_sends_the_role_to_set_up_first(app, client, session, login_as):
    """Rule: HUB_REQUIRE_2FA=coordinator: coordinators and admins reach nothing else before it is on;
    readers are not affected."""
    app.config["REQUIRE_2FA"] = "coordinator"
    try:
        login_as("mkoch")
        for path in ("/", "/practices/", "/account", "/review"):
            response = client.get(path)
            assert response.status_code == 302 and response.headers["Location"].endswith("/account/second-factor")
        _turn_on(client)
        assert client.get("/practices/").status_code == 200
        logout(client)
        login_as("jlehmann")
        assert client.get("/practices/").status_code == 200
    finally:
        app.config["REQUIRE_2FA"] = ""


def test_admin_takes_the_second_factor_away_audited_and_sessions_end(app, client, session, login_as):
    """Rule: an admin can reset a member's second factor; it is audited and the member is logged out."""
    login_as("jlehmann")
    _turn_on(client)
    admin = app.test_client()
    login(admin, "admin")
    token = csrf_token(admin, "/admin/users/jlehmann")
    assert "Zweiten Faktor entfernen" in admin.get("/admin/users/jlehmann").get_data(as_text=True)
    assert admin.post("/admin/users/jlehmann/second-factor/reset", data={"csrf_token": token}).status_code == 302
    assert not _user("jlehmann").has_second_factor
    assert db.session.scalars(sa.select(RecoveryCode)).all() == []
    assert not _logged_in(client)
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.reset-2fa")).one()
    login(client, "jlehmann")
    assert _logged_in(client)  # password alone again


def test_only_admins_take_a_second_factor_away(client, session, login_as):
    """Rule: the reset is an admin action."""
    login_as("mkoch")
    token = csrf_token(client, "/account")
    assert client.post("/admin/users/jlehmann/second-factor/reset", data={"csrf_token": token}).status_code == 403


def test_turning_off_needs_the_password(client, session, login_as):
    """Rule: turning the second factor off needs the current password."""
    login_as("jlehmann")
    _turn_on(client)
    token = csrf_token(client, "/account/second-factor")
    assert client.post("/account/second-factor", data={"password": "falsch", "csrf_token": token}).status_code == 400
    assert _user("jlehmann").has_second_factor
    ok = client.post("/account/second-factor", data={"password": DEMO_PASSWORD, "csrf_token": token})
    assert ok.status_code == 302 and not _user("jlehmann").has_second_factor


@pytest.mark.parametrize("why", ["no password", "password login off"])
def test_an_account_without_a_usable_password_turns_it_off_with_a_current_code(app, client, session,
                                                                              login_as, why):
    """Rule: an account that signs in by single sign-on only (no password, or HUB_PASSWORD_LOGIN=0)
    confirms with a current code from the app instead: a wrong one or one used before is refused,
    wrong ones are throttled like logins; a password is not asked for (it could not be given)."""
    login_as("jlehmann")
    secret, codes = _turn_on(client)
    if why == "no password":
        _user("jlehmann").password_hash = None
        db.session.commit()
    else:
        app.config["PASSWORD_LOGIN"] = False
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert 'name="code"' in page and 'name="password"' not in page
    token = csrf_token(client, "/account/second-factor")

    def turn_off(**data: str):
        return client.post("/account/second-factor", data={"csrf_token": token, **data})

    assert turn_off(password=DEMO_PASSWORD).status_code == 400
    assert turn_off(code="000000").status_code == 400
    assert turn_off(code=codes[0]).status_code == 400  # recovery codes are for the login
    step = _user("jlehmann").totp_last_step
    used = turn_off(code=pyotp.TOTP(secret).generate_otp(step))  # accepted when turning it on: not again
    assert used.status_code == 400 and "wait for the next one" not in used.get_data(as_text=True)
    assert "warten Sie auf den nächsten" in used.get_data(as_text=True)
    assert _user("jlehmann").has_second_factor
    ok = turn_off(code=pyotp.TOTP(secret).generate_otp(step + 1))
    assert ok.status_code == 302 and not _user("jlehmann").has_second_factor
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.disable-2fa")).one()


def test_turning_it_off_by_code_is_throttled(app, client, session, login_as):
    """Rule: after LOGIN_MAX_ATTEMPTS wrong codes even a right one is refused for a while (429)."""
    login_as("jlehmann")
    secret, _codes = _turn_on(client)
    app.config["PASSWORD_LOGIN"] = False
    token = csrf_token(client, "/account/second-factor")
    for _ in range(app.config["LOGIN_MAX_ATTEMPTS"]):
        assert client.post("/account/second-factor", data={"code": "123456", "csrf_token": token}).status_code == 400
    right = pyotp.TOTP(secret).generate_otp(_user("jlehmann").totp_last_step + 1)
    assert client.post("/account/second-factor", data={"code": right, "csrf_token": token}).status_code == 429
    assert _user("jlehmann").has_second_factor


@pytest.fixture(autouse=True)
def _no_requirement(app):
    app.config["REQUIRE_2FA"] = ""
