"""Issue 14, item 4: single sign-on with OpenID Connect, against a real provider over HTTP.

The provider (tests/oidc_provider.py) runs on 127.0.0.1 in a thread; the browser's hops to it are
real HTTP requests, and the hub's own requests (discovery, keys, token, user info) go over the wire
too. Every refusal is pinned: forged or replayed state, wrong nonce, expired, unsigned or wrongly
signed ID tokens, other issuer or audience, unverified e-mail, unknown people, deactivated
accounts, open redirects, a provider that is down.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import pyotp
import pytest
import requests
import sqlalchemy as sa

from hub.accounts.invitations import invite
from hub.accounts.personal_data import delete_account, my_data
from hub.auth import oidc, oidc_accounts
from hub.extensions import db
from hub.models import AuditEvent, Centre, Invitation, User
from hub.vocabulary import Role
from tests import mailbox
from tests.factories import user as account
from tests.html_checks import without_csrf_tokens
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, closed_port_url, other_key, running
from tests.support import DEMO_PASSWORD, csrf_token, login

JANA_MAIL = "jana.lehmann@zz-sachsen.example"
BUTTON = "Mit Zentrums-Login anmelden"
NOT_CONFIRMED = "Anmeldung nicht möglich"


@pytest.fixture
def provider(app):
    with running() as running_provider:
        running_provider.person = {"sub": "idp-0815", "email": JANA_MAIL, "email_verified": True,
                                   "name": "Jana Lehmann"}
        app.config.update(OIDC_ISSUER=running_provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                          OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_NAME="Zentrums-Login",
                          OIDC_TIMEOUT_SECONDS=3.0)
        yield running_provider


def _to_provider(client, next_url: str | None = None) -> str:
    """Start the login on the hub; returns the provider's address the browser is sent to."""
    start = client.get("/login/sso" + (f"?next={quote(next_url, safe='')}" if next_url is not None else ""))
    assert start.status_code == 302, start.get_data(as_text=True)
    return start.headers["Location"]


def _at_provider(url: str) -> str:
    """The browser at the provider (real HTTP): returns the hub URL it is sent back to."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _back_at_hub(client, url: str):
    """The browser back at the hub; a refusal is shown on the page the callback redirects to."""
    parts = urlsplit(url)
    assert parts.path == "/login/sso/callback"
    response = client.get(f"{parts.path}?{parts.query}")
    if response.status_code == 302 and response.headers["Location"] == "/login/sso/failed":
        response = client.get("/login/sso/failed")
        assert response.status_code != 200, "a failure page answers with the failure's status"
    return response


def _sign_in(client, next_url: str | None = None):
    return _back_at_hub(client, _at_provider(_to_provider(client, next_url)))


def _who(client) -> str | None:
    """The user name of the login this client holds (None: anonymous), from the page header."""
    match = re.search(r'href="/account" class="who">([^<]+?) <span', client.get("/").get_data(as_text=True))
    if match is None:
        return None
    return db.session.scalars(sa.select(User.username).where(User.name == html.unescape(match.group(1)))).one()


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _count_users() -> int:
    return int(db.session.scalar(sa.select(sa.func.count(User.id))) or 0)


# --- the button ----------------------------------------------------------------------------------
def test_the_button_appears_only_when_configured(app, client, session):
    """Rule: "Mit … anmelden" is offered only with issuer and client id; otherwise the route is 404."""
    page = client.get("/login").get_data(as_text=True)
    assert "/login/sso" not in page and "anmelden</a>" not in page
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404
    with running() as provider:
        app.config.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_NAME="Zentrums-Login")
        page = client.get("/login?next=/practices").get_data(as_text=True)
        assert f'id="sso-login" href="/login/sso?next=/practices">{BUTTON}</a>' in page
        assert 'name="password"' in page  # local passwords keep working
        app.config["OIDC_NAME"] = ""
        assert "Mit 127.0.0.1 anmelden" in client.get("/login").get_data(as_text=True)


# --- the whole flow ------------------------------------------------------------------------------
def test_a_verified_email_links_the_existing_account_through_pkce_state_and_nonce(client, session, provider):
    """Rule: the code flow with PKCE S256, state and nonce; the account with the verified address is
    linked (issuer + subject stored, audited) and logged in through the usual session start."""
    provider.person["email"] = "Jana.Lehmann@ZZ-Sachsen.example"  # addresses compare without case
    response = _sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _who(client) == "jlehmann"
    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) >= 43
    assert sent["state"] and sent["nonce"] and sent["scope"] == "openid email profile"
    assert provider.token_requests[-1]["code_verifier"]  # the provider checked it against the challenge
    jana = account("jlehmann")
    assert (jana.oidc_issuer, jana.oidc_subject) == (provider.issuer, "idp-0815")
    assert [e.object_key for e in _audit("user.link-sso")] == ["jlehmann"]
    assert [e.object_key for e in _audit("user.login-sso")] == ["jlehmann"]


def test_the_link_holds_when_the_email_changes_at_the_provider(client, session, provider):
    """Rule: later logins find the account by issuer + subject, whatever the address is now; another
    subject with the linked account's address does not take the account over."""
    assert _sign_in(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    provider.person.update(email="jana@neue-adresse.example", email_verified=False)
    assert _sign_in(client).status_code == 302
    assert _who(client) == "jlehmann"
    assert account("jlehmann").email == JANA_MAIL  # the hub's own address is the person's to change
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    provider.person = {"sub": "idp-someone-else", "email": JANA_MAIL, "email_verified": True}
    refused = _sign_in(client)
    assert refused.status_code == 403 and "mit einer anderen Anmeldung" in refused.get_data(as_text=True)
    assert _who(client) is None
    assert account("jlehmann").oidc_subject == "idp-0815"


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_is_refused_and_tells_nothing(client, session, provider, verified):
    """Rule: without a verified address nothing is linked, made or started — and the answer is the
    same whether an account has the address or not."""
    users = _count_users()
    answers = []
    for email in (JANA_MAIL, "niemand@nirgendwo.example"):
        provider.person = {"sub": f"sub-{email}", "email": email}
        if verified is not None:
            provider.person["email_verified"] = verified
        response = _sign_in(client)
        assert response.status_code == 403
        page = response.get_data(as_text=True).replace(email, "ADDRESS")
        answers.append(without_csrf_tokens(page))
    assert "nicht bestätigt" in answers[0] and "/login/sso/callback" not in answers[0]
    assert answers[0] == answers[1]
    assert _who(client) is None and _count_users() == users
    assert account("jlehmann").oidc_subject is None


def test_an_unknown_person_gets_no_account_without_auto_create(client, session, provider):
    provider.person = {"sub": "idp-neu", "email": "neu@zz-sachsen.example", "email_verified": True}
    users = _count_users()
    response = _sign_in(client)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Es gibt kein Konto für neu@zz-sachsen.example" in page and "Einladung" in page
    assert _count_users() == users and _who(client) is None


def test_refusals_speak_the_chosen_language(client, session, provider):
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/login")})
    provider.person = {"sub": "idp-neu", "email": "neu@zz-sachsen.example", "email_verified": True}
    page = _sign_in(client).get_data(as_text=True)
    assert "There is no account for neu@zz-sachsen.example" in page and "Sign-in not possible" in page
    assert "Log in with Zentrums-Login" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(("claim", "value", "centre"), [
    ("organisation", "Zukunftszentrum Sachsen", "zz-sachsen"),  # through the map
    ("organisation", "ZZ-Thueringen", "zz-thueringen"),  # a centre's own slug, any case
    ("groups", ["Mitarbeitende", "zz-brandenburg"], "zz-brandenburg"),  # the first value that matches
    ("org.centre", {"centre": "Zukunftszentrum Sachsen"}, "zz-sachsen"),  # inside an object claim
    ("organisation", "Atlantis", None),  # an unknown value: no centre
    ("organisation", None, None),  # no such claim
])
def test_auto_create_makes_a_reader_with_the_centre_from_the_claim(app, client, session, provider, claim,
                                                                   value, centre):
    """Rule: HUB_OIDC_AUTO_CREATE=1 makes a reader account, centre from HUB_OIDC_CENTRE_CLAIM mapped by
    HUB_OIDC_CENTRE_MAP (or a centre's slug), none when nothing matches; it is linked at once."""
    app.config.update(OIDC_AUTO_CREATE=True, OIDC_CENTRE_CLAIM=claim,
                      OIDC_CENTRE_MAP="Zukunftszentrum Sachsen=zz-sachsen; Andere = zz-thueringen")
    provider.person = {"sub": "idp-neu", "email": "Neu.Person@example.org", "email_verified": True,
                       "name": "Neue Person", "preferred_username": "Neu Person"}
    if value is not None:
        provider.person[claim.split(".")[0]] = value
    assert _sign_in(client).status_code == 302
    made = db.session.scalars(sa.select(User).where(User.oidc_subject == "idp-neu")).one()
    assert (made.username, made.name, made.email, made.role) == ("neu-person", "Neue Person",
                                                                 "Neu.Person@example.org", Role.READER)
    assert (made.centre.slug if made.centre else None) == centre
    assert made.password_hash is None and _who(client) == "neu-person"
    assert "neu-person" in [e.object_key for e in _audit("user.create")]


def test_auto_created_user_names_never_collide(app, client, session, provider):
    app.config["OIDC_AUTO_CREATE"] = True
    provider.person = {"sub": "idp-x", "email": "jlehmann@andere.example", "email_verified": True}
    assert _sign_in(client).status_code == 302
    assert _who(client) == "jlehmann-2"


def test_an_invited_address_gets_the_invited_account(app, client, session, provider):
    """Rule: a login links to an *invited* account too: the invitation's role and centre, accepted."""
    centre = db.session.scalars(sa.select(Centre).where(Centre.slug == "zz-brandenburg")).one()
    invitation = invite(account("admin"), "gast@zz-brandenburg.example", Role.CONTRIBUTOR, centre)
    db.session.commit()
    provider.person = {"sub": "idp-gast", "email": "gast@zz-brandenburg.example", "email_verified": True,
                       "preferred_username": "gast"}
    assert _sign_in(client).status_code == 302
    made = account("gast")
    assert (made.role, made.centre.slug, made.oidc_subject) == (Role.CONTRIBUTOR, "zz-brandenburg", "idp-gast")
    assert db.session.get(Invitation, invitation.id).accepted_at is not None
    assert _audit("invitation.accept")[0].details["via"] == "sso"


@pytest.mark.parametrize("way", ["auto-create", "invitation"])
def test_two_first_sign_ins_at_once_end_in_one_account(app, session, monkeypatch, way):
    """Rule: when another request links or makes the account between this one's lookups and its
    insert (two tabs, a double click), this one takes that account: no unique-constraint error, no
    second account, nothing of its own attempt left behind. The race made deterministic: the other
    request's row is written during this one's first lookup, and stays invisible to its look-up by
    address (not committed yet) — the unique constraints of the real database do the rest."""
    app.config["OIDC_AUTO_CREATE"] = way == "auto-create"
    email = "gast@zz-brandenburg.example"
    if way == "invitation":
        invite(account("admin"), email, Role.CONTRIBUTOR, None)
        db.session.commit()
    identity = oidc.Identity(issuer="https://idp.example", subject="idp-gast", email=email,
                             email_verified=True, name="Gast", preferred_username="gast", claims={},
                             next_url="")

    def the_other_request_links_it_now(_identity: oidc.Identity) -> None:
        db.session.execute(sa.insert(User).values(
            username="gast", name="Gast", email=email, role=Role.READER, active=True,
            oidc_issuer=identity.issuer, oidc_subject=identity.subject))

    _once(monkeypatch, "_linked", the_other_request_links_it_now)
    _once(monkeypatch, "_account_with", lambda _address: None)
    users, audited = _count_users(), int(db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0)
    user = oidc_accounts.account_for(identity)
    db.session.commit()
    assert (user.username, user.oidc_subject) == ("gast", "idp-gast")
    assert _count_users() == users + 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == audited  # the lost attempt's are gone
    if way == "invitation":
        assert db.session.scalars(sa.select(Invitation)).one().accepted_at is None  # the other request's to do


def _once(monkeypatch, name: str, instead) -> None:
    """``oidc_accounts.<name>`` does ``instead`` at its first call only."""
    real = getattr(oidc_accounts, name)

    def first_call(*args):
        monkeypatch.setattr(oidc_accounts, name, real)
        return instead(*args)

    monkeypatch.setattr(oidc_accounts, name, first_call)


# --- forged answers ------------------------------------------------------------------------------
def test_a_forged_state_is_refused(client, session, provider):
    back = urlsplit(_at_provider(_to_provider(client)))
    query = parse_qs(back.query)
    forged = _back_at_hub(client, f"/login/sso/callback?code={query['code'][0]}&state=forged-{query['state'][0]}")
    assert forged.status_code == 400 and "erneut" in forged.get_data(as_text=True)
    missing = _back_at_hub(client, f"/login/sso/callback?code={query['code'][0]}")
    assert missing.status_code == 400
    assert client.get("/login/sso/failed").headers["Location"] == "/login"  # shown once
    assert _who(client) is None and not provider.token_requests  # the code was never even redeemed


def test_a_state_from_another_browser_is_refused(app, client, session, provider):
    """Login CSRF: an answer started in the attacker's browser does not log the victim in."""
    attacker = app.test_client()
    url = _at_provider(_to_provider(attacker))
    assert _back_at_hub(client, url).status_code == 400
    assert _who(client) is None


def test_a_replayed_answer_is_refused(client, session, provider):
    """The state counts once: the same answer again (e.g. from the browser history) is refused."""
    url = _at_provider(_to_provider(client))
    assert _back_at_hub(client, url).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert _back_at_hub(client, url).status_code == 400
    assert _who(client) is None


def test_only_the_latest_started_sign_in_counts(client, session, provider):
    """Starting again makes the older answer worthless (and keeps the session cookie small)."""
    older = _at_provider(_to_provider(client))
    newer = _at_provider(_to_provider(client))
    assert _back_at_hub(client, older).status_code == 400
    assert _back_at_hub(client, newer).status_code == 302 and _who(client) == "jlehmann"


@pytest.mark.parametrize("misbehaviour", [
    {"claims": {"nonce": "forged-nonce"}},  # a token made for another login
    {"claims": {"nonce": None}},
    {"claims": {"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}},  # expired
    {"claims": {"iss": "https://evil.example"}},
    {"claims": {"aud": "another-client"}},
    {"signing_key": "same-kid"},  # signed with a key the provider does not publish
    {"signing_key": "other-kid"},
    {"no_id_token": True},
    {"cancel": True},  # the person cancelled at the provider
])
def test_bad_id_tokens_are_refused(client, session, provider, misbehaviour):
    if misbehaviour.get("signing_key"):
        misbehaviour = {"signing_key": other_key("k1" if misbehaviour["signing_key"] == "same-kid" else "k9")}
    provider.misbehave = misbehaviour
    response = _sign_in(client)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert NOT_CONFIRMED in response.get_data(as_text=True)
    assert _who(client) is None and account("jlehmann").oidc_subject is None
    assert not _audit("user.login-sso")


def test_an_unsigned_id_token_is_refused(client, session, provider):
    """alg "none", even when the discovery document offers it: only signed tokens count."""
    def unsigned(_grant: object) -> str:
        now = int(time.time())
        claims = {"iss": provider.issuer, "aud": CLIENT_ID, "sub": "idp-0815", "iat": now, "exp": now + 300,
                  "nonce": provider.authorize_requests[-1]["nonce"], "email": JANA_MAIL, "email_verified": True}
        part = [base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=").decode()
                for p in ({"alg": "none"}, claims)]
        return f"{part[0]}.{part[1]}."

    provider.misbehave = {"algorithms": ["RS256", "none"]}
    provider._id_token = unsigned  # type: ignore[method-assign]
    assert _sign_in(client).status_code == 400
    assert _who(client) is None


def test_a_discovery_document_of_another_issuer_or_without_signatures_is_not_used(client, session, provider):
    provider.misbehave = {"discovery_issuer": "https://evil.example"}
    assert client.get("/login/sso").status_code == 503
    provider.misbehave = {"algorithms": ["none", "HS256"]}
    assert client.get("/login/sso").status_code == 503
    provider.misbehave = {}
    assert client.get("/login/sso").status_code == 302


def test_email_claims_from_user_info_only_for_the_same_subject(client, session, provider):
    """Providers that keep the address out of the ID token: the user-info endpoint, same subject."""
    provider.email_in_userinfo_only = True
    assert _sign_in(client).status_code == 302 and _who(client) == "jlehmann"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    provider.person["sub"] = "idp-other"
    provider.misbehave = {"userinfo": {"sub": "idp-0815"}}
    assert _sign_in(client).status_code == 400
    assert _who(client) is None


# --- accounts and sessions -----------------------------------------------------------------------
def test_a_deactivated_account_is_refused(client, session, provider):
    jana = account("jlehmann")
    jana.active = False
    db.session.commit()
    response = _sign_in(client)  # found by address: not linked, not logged in
    assert response.status_code == 403 and "deaktiviert" in response.get_data(as_text=True)
    assert account("jlehmann").oidc_subject is None and _who(client) is None
    jana = account("jlehmann")
    jana.active, jana.oidc_issuer, jana.oidc_subject = False, provider.issuer, "idp-0815"
    db.session.commit()
    assert _sign_in(client).status_code == 403  # found by its link
    assert _who(client) is None


def test_a_second_factor_is_still_asked_for(client, session, provider):
    """Rule: the same login end as with a password: an account with TOTP gets the code page first."""
    secret = pyotp.random_base32()
    jana = account("jlehmann")
    jana.totp_secret = secret
    db.session.commit()
    response = _sign_in(client, "/practices")
    assert response.headers["Location"] == "/login/code"
    assert _who(client) is None
    token = csrf_token(client, "/login/code")
    done = client.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert done.headers["Location"] == "/practices" and _who(client) == "jlehmann"


def test_the_login_starts_a_fresh_session_of_the_current_generation(client, session, provider):
    """A session started by single sign-on ends with "log out everywhere" like any other."""
    assert _sign_in(client).status_code == 302
    jana = account("jlehmann")
    jana.session_generation += 1
    db.session.commit()
    assert _who(client) is None


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "/%0d%0aLocation:%20https://evil.example",
])
def test_next_never_leaves_the_site(client, session, provider, target):
    response = _sign_in(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/%0d%0aLocation:%20https://evil.example")
    assert urlsplit(response.headers["Location"]).netloc == ""


def test_next_to_a_page_of_the_hub_is_kept(client, session, provider):
    assert _sign_in(client, "/practices?q=Schichtplanung").headers["Location"] == "/practices?q=Schichtplanung"


# --- password login off --------------------------------------------------------------------------
def test_password_login_off_leaves_only_single_sign_on(app, client, session, provider):
    """Rule: HUB_PASSWORD_LOGIN=0 hides the password form and "Passwort vergessen?" and refuses
    their requests (POST too); single sign-on keeps working."""
    app.config["PASSWORD_LOGIN"] = False
    page = client.get("/login").get_data(as_text=True)
    assert BUTTON in page and 'name="password"' not in page and "/password/forgot" not in page
    token = csrf_token(client, "/logout")  # a valid CSRF token, so only the rule refuses
    refused = client.post("/login", data={"username": "jlehmann", "password": DEMO_PASSWORD, "csrf_token": token})
    assert refused.status_code == 403 and _who(client) is None
    assert client.get("/password/forgot").status_code == 404
    assert client.post("/password/forgot", data={"email": JANA_MAIL, "csrf_token": token}).status_code == 404
    assert client.get("/password/reset/some-token").status_code == 404
    assert client.post("/password/reset/some-token", data={"csrf_token": token}).status_code == 404
    assert _sign_in(client).status_code == 302 and _who(client) == "jlehmann"
    assert 'name="pw-current"' not in client.get("/account").get_data(as_text=True)  # no password to change
    change = {"pw-current": DEMO_PASSWORD, "pw-password": "Kranich-Tapete-Vollmond-17",
              "pw-confirm": "Kranich-Tapete-Vollmond-17", "pw-csrf_token": csrf_token(client, "/logout")}
    assert client.post("/account/password", data=change).status_code == 404
    app.config["PASSWORD_LOGIN"] = True
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    assert login(client, "jlehmann").status_code == 302


def test_password_login_off_an_invitee_joins_without_password_and_gets_in_by_single_sign_on(
        app, client, session, provider):
    """Rule: with HUB_PASSWORD_LOGIN=0 the join page makes the account without a password; the first
    sign-in through the provider links it by the verified invited address — the invitee gets in."""
    app.config["PASSWORD_LOGIN"] = False
    mailbox.empty(app)
    invite(account("admin"), "gast@zz-brandenburg.example", Role.CONTRIBUTOR, None)
    db.session.commit()
    path = mailbox.link_in(mailbox.mails_to(app, "gast@zz-brandenburg.example")[-1], "/join/")
    token = csrf_token(client, "/login")
    joined = client.post(path, data={"username": "gast", "name": "Gabi Gast", "csrf_token": token})
    assert joined.status_code == 302 and account("gast").password_hash is None
    provider.person = {"sub": "idp-gast", "email": "Gast@ZZ-Brandenburg.example", "email_verified": True}
    assert _sign_in(client).status_code == 302 and _who(client) == "gast"
    assert (account("gast").oidc_subject, account("gast").role) == ("idp-gast", Role.CONTRIBUTOR)


# --- the provider is down ------------------------------------------------------------------------
def test_an_unreachable_provider_gives_a_friendly_page(app, client, session):
    app.config.update(OIDC_ISSUER=closed_port_url(), OIDC_CLIENT_ID=CLIENT_ID, OIDC_NAME="Zentrums-Login",
                      OIDC_TIMEOUT_SECONDS=2.0)
    response = client.get("/login/sso")
    assert response.status_code == 503
    assert "Zentrums-Login ist gerade nicht erreichbar" in response.get_data(as_text=True)


def test_a_provider_down_at_the_callback_gives_a_friendly_page(client, session, provider):
    url = _at_provider(_to_provider(client))
    cached_client = client.application.extensions[oidc._EXTENSION][2]  # the hub's client of this provider
    cached_client.server_metadata["token_endpoint"] = closed_port_url() + "/token"  # now nobody answers
    response = _back_at_hub(client, url)
    assert response.status_code == 503 and "nicht erreichbar" in response.get_data(as_text=True)
    assert _who(client) is None


def test_plain_http_is_used_only_on_this_machine(app, client, session, provider):
    """The client secret and the code travel only over HTTPS, or to a provider on this machine."""
    provider.misbehave = {"token_endpoint": "http://login.example.org/token"}
    assert client.get("/login/sso").status_code == 503
    provider.misbehave = {"token_endpoint": "https://login.example.org/token"}
    assert client.get("/login/sso").status_code == 302
    app.config.update(OIDC_ISSUER="http://login.example.org")
    assert client.get("/login/sso").status_code == 503


# --- personal data -------------------------------------------------------------------------------
def test_the_link_is_in_my_data_and_gone_after_deletion(client, session, provider):
    assert _sign_in(client).status_code == 302
    jana = account("jlehmann")
    assert my_data(jana)["account"]["single_sign_on"] == {"issuer": provider.issuer, "subject": "idp-0815"}
    delete_account(None, jana)
    db.session.commit()
    assert (jana.oidc_issuer, jana.oidc_subject) == (None, None)
