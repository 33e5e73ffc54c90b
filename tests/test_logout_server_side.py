"""A plain logout ends its login on the server: copies of its cookies are refused afterwards, while
the account's other devices stay logged in; the records are pruned once the login's lifetime is over.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from hub.auth import sessions
from hub.extensions import db
from hub.models import EndedLogin
from hub.models._types import utcnow
from tests.support import DEMO_PASSWORD, csrf_token

ACCOUNT = "/account"


def _login(client, username: str = "mkoch", *, remember: bool = True) -> None:
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, "/login")}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def _logged_in(client) -> bool:
    return client.get(ACCOUNT).status_code == 200


def _browser_with(app, name: str, value: str):
    """A new browser holding nothing but one cookie copied from another."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _logout(client) -> None:
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")}).status_code == 302


def test_a_copied_session_cookie_is_anonymous_after_logout(app, client, session):
    """Rule: after "log out", the session cookie as it was before (copied by someone) opens nothing;
    the account's other browsers stay logged in."""
    _login(client, remember=False)
    copied = client.get_cookie("session").value
    elsewhere = app.test_client()
    _login(elsewhere, remember=False)
    assert _logged_in(_browser_with(app, "session", copied))
    _logout(client)
    replay = _browser_with(app, "session", copied)
    assert not _logged_in(replay)
    drafts = "/api/v1/practices?status=draft&per_page=100"
    anonymous = {p["slug"] for p in app.test_client().get(drafts).get_json()["results"]}
    assert {p["slug"] for p in replay.get(drafts).get_json()["results"]} == anonymous  # the API too
    assert _logged_in(elsewhere)
    _login(client, remember=False)
    assert _logged_in(client)  # logging in again starts a new login


def test_a_copied_remember_cookie_is_refused_after_logout(app, client, session):
    """Rule: a "stay logged in" cookie copied before the logout does not start a new session."""
    _login(client)
    copied = client.get_cookie("remember_token").value
    _logout(client)
    assert not _logged_in(_browser_with(app, "remember_token", copied))


def test_logging_out_elsewhere_leaves_this_device_logged_in(app, client, session):
    """Rule: the login that logs out is the only one that ends (no log-out-everywhere)."""
    _login(client)
    other = app.test_client()
    _login(other)
    _logout(other)
    assert _logged_in(client) and not _logged_in(other)


def test_identities_without_a_login_id_are_refused(app, client, session):
    """Rule: an identity string without a login id (written before this rule, or forged without one)
    cannot be logged out on the server, so it is not accepted."""
    _login(client, remember=False)
    with client.session_transaction() as stored:
        parts = stored["_user_id"].split(":")
        assert len(parts) == 4 and len(parts[3]) == 32
        stored["_user_id"] = ":".join(parts[:3])
    assert not _logged_in(client)


def test_ended_logins_are_kept_for_the_login_lifetime_and_pruned_after(app, client, session):
    """Rule: the record of a logout lives as long as the login could (HUB_SESSION_MAX_DAYS after it
    was made) and the scheduler's job removes it after that."""
    _login(client, remember=False)
    _logout(client)
    row = db.session.scalars(sa.select(EndedLogin)).one()
    lifetime = timedelta(days=int(app.config["SESSION_MAX_DAYS"]))
    assert abs(row.expires_at - (utcnow() + lifetime)) < timedelta(minutes=5)
    db.session.add(EndedLogin(login_id="0" * 32, expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert sessions.prune_ended_logins() == 1
    assert db.session.scalars(sa.select(EndedLogin.login_id)).all() == [row.login_id]
