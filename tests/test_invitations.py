"""Issue 14, item 3: invitations by e-mail.

Admins invite to any role, coordinators readers and contributors (checked in the operations layer);
the link is valid for 7 days and once; open invitations are listed, resent (the old link dies) and
revoked; every step is audited; an address with an account is refused with a clear message.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.accounts import invitations
from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import AuditEvent, Invitation, User
from hub.models._types import utcnow
from hub.vocabulary import Role
from tests import mailbox
from tests.factories import user as account
from tests.support import csrf_token, login, logout

NEW = "neu@zz-sachsen.example"
STRONG = "Kranich-Tapete-Vollmond-17"


@pytest.fixture(autouse=True)
def _empty_mailbox(app):
    mailbox.empty(app)
    yield
    mailbox.empty(app)


def _invite(client, email: str = NEW, role: str = "contributor", centre: str = "zz-sachsen"):
    token = csrf_token(client, "/invitations")
    data = {"email": email, "role": role, "centre": centre, "language": "de", "csrf_token": token}
    return client.post("/invitations", data=data)


def _join_path(app, address: str = NEW) -> str:
    return mailbox.link_in(mailbox.mails_to(app, address)[-1], "/join/")


def _join(client, path: str, username: str = "neu", password: str = STRONG):
    data = {"username": username, "name": "Nora Neu", "password": password, "confirm": password,
            "csrf_token": csrf_token(client, "/password/forgot")}
    return client.post(path, data=data)


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "invitation")))


def test_admin_invites_and_the_invitee_joins_with_role_and_centre(app, client, session, login_as):
    """Rule: the mailed link lets the invitee choose user name, name and password; the account gets
    the invited role and centre; create and accept are audited; the token is stored only hashed."""
    login_as("admin")
    assert _invite(client, role="coordinator").status_code == 302
    page = client.get("/invitations").get_data(as_text=True)
    assert NEW in page and "Administration" in page  # who invited whom
    path = _join_path(app)
    assert path.rsplit("/", 1)[1] not in db.session.scalars(sa.select(Invitation.token_hash)).one()
    logout(client)
    assert _join(client, path).status_code == 302
    user = account("neu")
    assert (user.role, user.centre.slug, user.email) == (Role.COORDINATOR, "zz-sachsen", NEW)
    assert login(client, "neu", STRONG).status_code == 302
    assert _actions() == ["invitation.create", "invitation.accept"]
    assert client.get(path).status_code == 404  # single use


def test_coordinators_invite_readers_and_contributors_only(app, client, session, login_as):
    """Rule: coordinators may invite readers and contributors, never coordinators or admins;
    contributors and readers may not invite — enforced in the operations layer."""
    coordinator = account("mkoch")
    with pytest.raises(PermissionDenied):
        invitations.invite(coordinator, NEW, Role.ADMIN, None)
    with pytest.raises(PermissionDenied):
        invitations.invite(coordinator, NEW, Role.COORDINATOR, None)
    with pytest.raises(PermissionDenied):
        invitations.invite(account("aschmidt"), NEW, Role.READER, None)
    invitations.invite(coordinator, NEW, Role.READER, None)
    login_as("mkoch")
    assert _invite(client, email="zwei@example.org", role="admin").status_code == 400  # not offered
    logout(client)
    login_as("aschmidt")
    assert client.get("/invitations").status_code == 403


def test_expired_forged_and_revoked_links_are_refused(app, client, session, login_as):
    """Rule: a link is valid for 7 days, a forged one fails, a revoked one fails."""
    login_as("admin")
    _invite(client)
    path = _join_path(app)
    invitation = db.session.scalars(sa.select(Invitation)).one()
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert client.get("/join/erfunden").status_code == 404
    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    token = csrf_token(client, "/invitations")
    assert client.post(f"/invitations/{invitation.id}/revoke", data={"csrf_token": token}).status_code == 302
    assert _join(client, path).status_code == 404
    assert NEW not in client.get("/invitations").get_data(as_text=True)
    assert _actions() == ["invitation.create", "invitation.revoke"]


def test_resending_mails_a_new_link_and_kills_the_old_one(app, client, session, login_as):
    """Rule: "send again" mails a fresh link; the earlier link stops working."""
    login_as("admin")
    _invite(client)
    old = _join_path(app)
    invitation = db.session.scalars(sa.select(Invitation)).one()
    token = csrf_token(client, "/invitations")
    assert client.post(f"/invitations/{invitation.id}/resend", data={"csrf_token": token}).status_code == 302
    new = _join_path(app)
    assert new != old and len(mailbox.mails_to(app, NEW)) == 2
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert _actions() == ["invitation.create", "invitation.resend"]


def test_an_address_with_an_account_is_refused_clearly(app, client, session, login_as):
    """Rule: accepting for an address that has an account meanwhile is refused with a clear message;
    inviting such an address is refused at once."""
    login_as("admin")
    response = _invite(client, email="jana.lehmann@zz-sachsen.example")
    assert response.status_code == 400 and "existiert bereits" in response.get_data(as_text=True)
    _invite(client)
    path = _join_path(app)
    account("jlehmann").email = NEW
    db.session.commit()
    response = _join(client, path)
    assert response.status_code == 409
    assert f"Ein Konto mit der Adresse {NEW} existiert bereits" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(User).where(User.username == "neu")).first() is None


def test_join_refuses_weak_passwords_and_taken_user_names_and_stays_usable(app, client, session, login_as):
    """Rule: the join form applies the password rule and user-name rules with German field errors;
    a refusal does not use the link up."""
    login_as("admin")
    _invite(client)
    path = _join_path(app)
    logout(client)
    weak = _join(client, path, password="passwort123")
    assert weak.status_code == 400 and "Leicht zu erraten" in weak.get_data(as_text=True)
    taken = _join(client, path, username="jlehmann")
    assert taken.status_code == 400 and "schon vergeben" in taken.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_invitation_posts_need_csrf(app, client, session, login_as):
    """Rule: every invitation form carries a CSRF token."""
    login_as("admin")
    assert client.post("/invitations", data={"email": NEW, "role": "reader"}).status_code == 400
    assert mailbox.mails_to(app, NEW) == []


def test_with_single_sign_on_only_the_invitee_chooses_no_password(app, client, session, login_as):
    """Rule: with HUB_PASSWORD_LOGIN=0 neither the mail nor the join page asks for a password (it
    could never be used); the account is made without one, and the invitee is told to sign in with
    the configured provider, whose button the login page then shows (see test_oidc for the sign-in)."""
    login_as("admin")
    app.config.update(PASSWORD_LOGIN=False, OIDC_ISSUER="https://login.zz-sachsen.example",
                      OIDC_CLIENT_ID="praxis-hub", OIDC_NAME="Zentrums-Login")
    assert _invite(client).status_code == 302
    body = mailbox.mails_to(app, NEW)[-1].get_body().get_content()
    assert "melden Sie sich mit Zentrums-Login unter dieser Adresse an" in body and "Passwort" not in body
    path = _join_path(app)
    logout(client)
    page = client.get(path).get_data(as_text=True)
    assert 'name="password"' not in page and 'name="confirm"' not in page
    assert "ein Passwort brauchen Sie nicht: Sie melden sich mit Zentrums-Login an" in page
    joined = _join(client, path)  # a password sent all the same is not used
    assert joined.status_code == 302 and joined.headers["Location"] == "/login"
    user = account("neu")
    assert (user.role, user.email, user.password_hash) == (Role.CONTRIBUTOR, NEW, None)
    login_page = client.get("/login").get_data(as_text=True)
    assert "Bitte melden Sie sich mit Zentrums-Login an" in login_page
    assert 'id="sso-login" href="/login/sso"' in login_page and 'name="password"' not in login_page
    assert _actions() == ["invitation.create", "invitation.accept"]


def test_with_single_sign_on_only_an_address_with_an_account_gets_no_password_advice(app, client, session,
                                                                                     login_as):
    login_as("admin")
    _invite(client)
    path = _join_path(app)
    logout(client)
    account("jlehmann").email = NEW
    db.session.commit()
    app.config["PASSWORD_LOGIN"] = False
    page = client.post(path, data={"username": "neu", "name": "Nora Neu",
                                   "csrf_token": csrf_token(client, "/login")}).get_data(as_text=True)
    assert f"Ein Konto mit der Adresse {NEW} existiert bereits. Bitte melden Sie sich damit an." in page
    assert "Passwort vergessen" not in page
