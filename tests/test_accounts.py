"""Issue 14, items 1 and 2: the own account page and password reset by e-mail.

Every refusal is pinned: wrong current password, weak or personal passwords, an address that does
not exist (same answer, no mail), throttling per address and per client, and reset links that are
expired, used, forged or outdated by a password set in another way.
"""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.auth.operations import set_password
from hub.extensions import db
from hub.models import AuditEvent, PasswordReset
from hub.models._types import utcnow
from tests import mailbox
from tests.factories import user as account
from tests.support import DEMO_PASSWORD, csrf_token, login, logout

STRONG = "Kranich-Tapete-Vollmond-17"
READER_MAIL = "jana.lehmann@zz-sachsen.example"


@pytest.fixture(autouse=True)
def _empty_mailbox(app):
    mailbox.empty(app)
    yield
    mailbox.empty(app)


def _account_form(client, **values: str) -> dict[str, str]:
    data = {"name": "Jana Lehmann", "email": READER_MAIL, "language": "de", "digest": "none"}
    return {**data, **values, "csrf_token": csrf_token(client, "/account")}


def _change(client, current: str, new: str, confirm: str | None = None):
    token = csrf_token(client, "/account")
    data = {"pw-current": current, "pw-password": new, "pw-confirm": confirm or new, "pw-csrf_token": token}
    return client.post("/account/password", data=data)


# --- item 1: the account page ------------------------------------------------------------------
def test_the_name_in_the_header_leads_to_the_account_page_with_tokens_and_logins(client, session, login_as):
    """Rule: /account is linked from the header and holds the settings, tokens and "log out everywhere"."""
    login_as("jlehmann")
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account" class="who"' in page
    for part in ('id="api-tokens"', 'action="/profile/logout-everywhere"', 'name="pw-current"', 'name="digest"'):
        assert part in page
    assert client.get("/account", follow_redirects=False).status_code == 200
    logout(client)
    assert client.get("/account").status_code == 302  # login required


def test_name_email_language_and_digest_are_saved_and_audited(app, client, session, login_as):
    """Rule: a member changes their own name, e-mail, language (pages switch) and digest."""
    login_as("jlehmann")
    response = client.post("/account", data=_account_form(
        client, name="Jana Lehmann-Berg", email="jana@example.org", language="en", digest="weekly"))
    assert response.status_code == 302
    user = account("jlehmann")
    assert (user.name, user.email, user.language, user.digest) == (
        "Jana Lehmann-Berg", "jana@example.org", "en", "weekly")
    assert "Your account" in client.get("/account").get_data(as_text=True)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.update")).one()
    assert event.details["digest"] == "weekly"


def test_account_form_refuses_bad_input_with_german_field_errors(client, session, login_as):
    """Rule: bad input gives field errors in German, nothing is saved."""
    login_as("jlehmann")
    response = client.post("/account", data=_account_form(client, email="kein-mail", digest="hourly"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "Ungültige E-Mail-Adresse" in page
    assert account("jlehmann").email == READER_MAIL


def test_password_change_needs_the_current_password(client, session, login_as):
    """Rule: the current password is required."""
    login_as("jlehmann")
    response = _change(client, "falsch-falsch", STRONG)
    assert response.status_code == 400
    assert "Das aktuelle Passwort ist falsch." in response.get_data(as_text=True)
    assert account("jlehmann").check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kurz123", "Mindestens 10 Zeichen"),
        ("passwort123", "Leicht zu erraten"),
        ("jlehmann2024", "enthält Ihren Namen"),
        ("Lehmann-Jana", "enthält Ihren Namen"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, session, login_as, password, reason):
    """Rule: at least 10 characters and a zxcvbn score of 3 given user name, name and e-mail."""
    login_as("jlehmann")
    response = _change(client, DEMO_PASSWORD, password)
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    assert account("jlehmann").check_password(DEMO_PASSWORD)


def test_reason_is_in_english_when_switched(client, session, login_as):
    """Rule: the reason is in the user's language."""
    login_as("jlehmann")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/account")})
    assert "Too easy to guess" in _change(client, DEMO_PASSWORD, "passwort123").get_data(as_text=True)


def test_a_changed_password_ends_other_sessions_but_not_this_one(app, client, session, login_as):
    """Rule: a new password ends every other session of the account; the changing browser stays in."""
    other = app.test_client()
    login(other, "jlehmann")
    login_as("jlehmann")
    assert _change(client, DEMO_PASSWORD, STRONG).status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert account("jlehmann").check_password(STRONG)
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.change-password")).one()


def test_profile_links_to_the_account(client, session, login_as):
    """Rule: the settings moved from /profile to /account, which /profile links to."""
    login_as("jlehmann")
    response = client.get("/profile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<a href="/account">Ihr Konto</a>' in page and 'name="digest"' not in page


# --- item 2: password reset ---------------------------------------------------------------------
def _forgot(client, email: str):
    return client.post("/password/forgot", data={"email": email, "csrf_token": csrf_token(client, "/password/forgot")})


def _reset_link(app) -> str:
    (mail,) = mailbox.mails_to(app, READER_MAIL)
    return mailbox.link_in(mail, "/password/reset/")


def test_login_page_offers_forgot_password(client, session):
    """Rule: "Passwort vergessen?" is on /login."""
    assert 'href="/password/forgot">Passwort vergessen?' in client.get("/login").get_data(as_text=True)


def test_reset_by_mail_sets_a_new_password_once(app, client, session):
    """Rule: the mailed link sets a new password, once; the token is stored only as a hash."""
    response = _forgot(client, READER_MAIL.upper())
    assert response.status_code == 200
    path = _reset_link(app)
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalars(sa.select(PasswordReset)).one()
    assert stored.token_hash != token and token not in stored.token_hash
    form = {"password": STRONG, "confirm": STRONG, "csrf_token": csrf_token(client, path)}
    assert client.post(path, data=form).status_code == 302
    assert login(client, "jlehmann", STRONG).status_code == 302
    assert client.get(path).status_code == 404  # used up
    assert "nicht mehr gültig" in client.get(path).get_data(as_text=True)
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.reset-password")).one()


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, session):
    """Rule: no account enumeration — the same page whether or not the address exists."""
    known = _forgot(client, READER_MAIL).get_data(as_text=True)
    unknown = _forgot(client, "niemand@example.org").get_data(as_text=True)
    assert known.replace(READER_MAIL, "X") == unknown.replace("niemand@example.org", "X")
    assert mailbox.mails_to(app, "niemand@example.org") == []
    assert len(mailbox.mails_to(app, READER_MAIL)) == 1


def test_the_mail_is_in_the_recipients_language(app, client, session):
    """Rule: the reset mail is written in the recipient's language."""
    account("jlehmann").language = "en"
    db.session.commit()
    _forgot(client, READER_MAIL)
    (mail,) = mailbox.mails_to(app, READER_MAIL)
    assert mail["Subject"] == "Praxis-Hub: set a new password"


def test_expired_forged_and_outdated_links_are_refused(app, client, session):
    """Rule: links expire after 60 minutes, forged ones fail, and a password set otherwise kills them."""
    assert client.get("/password/reset/erfunden").status_code == 404
    _forgot(client, READER_MAIL)
    path = _reset_link(app)
    stored = db.session.scalars(sa.select(PasswordReset)).one()
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    form = {"password": STRONG, "confirm": STRONG, "csrf_token": csrf_token(client, "/login")}
    assert client.post(path, data=form).status_code == 404
    stored.expires_at = utcnow() + timedelta(minutes=30)
    db.session.commit()
    assert client.get(path).status_code == 200

    set_password(None, account("jlehmann"), "ein-anderes-passwort")  # e.g. by an admin
    db.session.commit()
    assert client.post(path, data=form).status_code == 404
    assert account("jlehmann").check_password("ein-anderes-passwort")


def test_a_weak_new_password_is_refused_and_the_link_stays_usable(app, client, session):
    """Rule: the reset form applies the same strength rule, and a refusal does not use the link up."""
    _forgot(client, READER_MAIL)
    path = _reset_link(app)
    form = {"password": "passwort123", "confirm": "passwort123", "csrf_token": csrf_token(client, path)}
    response = client.post(path, data=form)
    assert response.status_code == 400 and "Leicht zu erraten" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_requests_are_throttled_per_address_and_per_client(app, client, session):
    """Rule: reset requests are throttled per e-mail address and per client address."""
    for _ in range(app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]):
        assert _forgot(client, READER_MAIL).status_code == 200
    assert _forgot(client, READER_MAIL).status_code == 429
    assert _forgot(client, "niemand@example.org").status_code == 200  # other address, same answer
    for n in range(app.config["PASSWORD_RESET_MAX_PER_CLIENT"]):
        _forgot(client, f"jemand{n}@example.org")
    assert _forgot(client, "noch-jemand@example.org").status_code == 429
    other_client = app.test_client()
    other = other_client.post(
        "/password/forgot",
        data={"email": "noch-jemand@example.org", "csrf_token": csrf_token(other_client, "/password/forgot")},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 200


def test_with_smtp_the_answer_does_not_wait_for_the_mail_server(app, client, session):
    """Rule: the answer's timing is the same whether or not the address exists — with SMTP the reset
    mail is handed over in the background, so a slow mail server cannot tell accounts apart."""
    silent = socket.socket()  # accepts connections but never greets: a mail server that hangs
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=silent.getsockname()[1])
    try:
        started = time.monotonic()
        assert _forgot(client, READER_MAIL).status_code == 200
        assert time.monotonic() - started < 5  # the SMTP timeout is 30 s
    finally:
        app.config.update(saved)
        silent.close()


def test_a_long_passphrase_is_accepted(client, session, login_as):
    """Rule: long passphrases (beyond the 72 characters zxcvbn evaluates) are welcome, not an error."""
    login_as("jlehmann")
    long = "Kranich Tapete Vollmond " * 6  # 144 characters
    assert _change(client, DEMO_PASSWORD, long[:190]).status_code == 302
    assert account("jlehmann").check_password(long[:190])
