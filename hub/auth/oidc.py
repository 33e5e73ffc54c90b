"""Single sign-on with OpenID Connect: the conversation with the provider (Authlib).

On when ``OIDC_ISSUER`` and ``OIDC_CLIENT_ID`` are set. The provider's endpoints and keys come from
its discovery document (``<issuer>/.well-known/openid-configuration``), whose ``issuer`` must be the
configured one. The login is the authorization code flow with PKCE (S256): ``begin`` keeps state,
nonce and code verifier in this browser's session (Authlib, signed cookie) and sends the browser
to the provider; ``finish`` takes the answer only with the state it was sent with (once), swaps the
code for tokens and lets Authlib verify the ID token — signature against the provider's keys
(asymmetric algorithms only), ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``. Which account the
person gets is decided in ``hub.auth.oidc_accounts``.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, request, session
from joserfc.errors import JoseError

log = logging.getLogger("hub.auth")

NAME = "oidc"  # Authlib keeps the state data under "_state_oidc_<state>" in the session
DISCOVERY_PATH = "/.well-known/openid-configuration"
METADATA_SECONDS = 3600  # discovery document (and keys) are read again after this long
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
                      "EdDSA")
_EXTENSION = "hub.oidc"


class ProviderUnavailable(Exception):
    """The provider cannot be reached, or answers with something that is no OpenID provider's."""


class SignInRefused(Exception):
    """The answer from the provider is not accepted (forged or replayed state, bad ID token,
    the person cancelled …); ``reason`` is for the log, never for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """What a verified ID token (and, for missing e-mail claims, the user info) says about a person."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    preferred_username: str | None
    claims: dict[str, Any]
    next_url: str


def configured() -> bool:
    cfg = current_app.config
    return bool(str(cfg["OIDC_ISSUER"]).strip() and str(cfg["OIDC_CLIENT_ID"]).strip())


def password_login() -> bool:
    """Whether local passwords count (``PASSWORD_LOGIN``): for the login form and password reset."""
    return bool(current_app.config["PASSWORD_LOGIN"])


def provider_name() -> str:
    """The name on the button: ``OIDC_NAME``, or the issuer's host."""
    return str(current_app.config["OIDC_NAME"]).strip() or (urlsplit(_issuer()).hostname or _issuer())


def begin(redirect_uri: str, next_url: str) -> str:
    """The provider's authorization URL for a new login; state, nonce, PKCE verifier and ``next_url``
    wait in this browser's session for ``finish``."""
    client = _client()
    try:
        found = client.create_authorization_url(redirect_uri)
    except (requests.RequestException, ValueError) as error:
        _forget_client()
        raise ProviderUnavailable(type(error).__name__) from error
    for key in [key for key in session if key.startswith(f"_state_{NAME}_")]:
        session.pop(key)  # one login in flight per browser: an older state no longer counts
    url = found.pop("url")
    client.save_authorize_data(redirect_uri=redirect_uri, next_url=next_url, **found)
    return str(url)


def finish() -> Identity:
    """Check the provider's answer to this request and return who signed in (``SignInRefused`` or
    ``ProviderUnavailable`` otherwise). The state is used up whatever the outcome."""
    client = _client()
    waiting = client.framework.get_state_data(session, request.args.get("state")) or {}
    try:
        token = client.authorize_access_token()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(type(error).__name__) from error
    except (OAuthError, JoseError) as error:
        raise SignInRefused(f"{type(error).__name__}: {getattr(error, 'error', '') or error}") from error
    claims = token.get("userinfo")
    if not claims:  # no ID token, or a state saved without nonce: nothing verified the person
        raise SignInRefused("no verified ID token")
    claims = dict(claims)
    if "email" not in claims:
        claims.update(_user_info(client, token, str(claims["sub"])))
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=str(claims["email"]).strip() if claims.get("email") else None,
        email_verified=_true(claims.get("email_verified")),
        name=str(claims["name"]).strip() if claims.get("name") else None,
        preferred_username=str(claims.get("preferred_username") or "") or None,
        claims=claims,
        next_url=str(waiting.get("next_url") or ""),
    )


def _true(value: object) -> bool:
    """``email_verified`` is a JSON boolean; some providers send the string "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _user_info(client: FlaskOAuth2App, token: dict[str, Any], subject: str) -> dict[str, Any]:
    """E-mail claims from the user-info endpoint, for providers that keep them out of the ID token;
    only when the endpoint speaks of the same subject (OpenID Connect Core 5.3.2)."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return {}
    try:
        info = dict(client.userinfo(token=token))
    except (requests.RequestException, ValueError, OAuthError) as error:
        raise ProviderUnavailable(type(error).__name__) from error
    if str(info.get("sub")) != subject:
        raise SignInRefused("user info of another subject")
    wanted = ("email", "email_verified", "name", "preferred_username")
    return {key: info[key] for key in wanted if key in info}


def _issuer() -> str:
    return str(current_app.config["OIDC_ISSUER"]).strip().rstrip("/")


def _client() -> FlaskOAuth2App:
    """The Authlib client of the configured provider, with its checked discovery document (kept for
    ``METADATA_SECONDS`` per worker, and for one setting only)."""
    cfg = current_app.config
    key = (_issuer(), str(cfg["OIDC_CLIENT_ID"]), str(cfg["OIDC_CLIENT_SECRET"]), str(cfg["OIDC_SCOPES"]),
           float(cfg["OIDC_TIMEOUT_SECONDS"]))
    cached = current_app.extensions.get(_EXTENSION)
    if cached is not None and cached[0] == key and time.monotonic() - cached[1] < METADATA_SECONDS:
        return cached[2]
    client = _new_client(*key)
    current_app.extensions[_EXTENSION] = (key, time.monotonic(), client)
    return client


def _forget_client() -> None:
    current_app.extensions.pop(_EXTENSION, None)


def _new_client(issuer: str, client_id: str, secret: str, scopes: str, timeout: float) -> FlaskOAuth2App:
    if not _secure(issuer):
        raise ProviderUnavailable("the issuer must be an https:// URL (http only on this machine)")
    client = FlaskOAuth2App(
        FlaskIntegration(NAME), name=NAME, client_id=client_id, client_secret=secret or None,
        server_metadata_url=issuer + DISCOVERY_PATH,
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "default_timeout": timeout},
    )
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(type(error).__name__) from error
    _check_metadata(metadata, issuer)
    return client


def _check_metadata(metadata: dict[str, Any], issuer: str) -> None:
    """The discovery document must be the configured issuer's (OpenID Connect Discovery 4.3) and name
    what the flow needs; ID tokens are accepted only with asymmetric signatures."""
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable("the discovery document names another issuer")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(endpoint), str) or not _secure(metadata[endpoint]):
            raise ProviderUnavailable(f"discovery document without a usable {endpoint}")
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in offered if alg in SIGNING_ALGORITHMS]
    if not algorithms:
        raise ProviderUnavailable("no supported ID token signature algorithm")
    metadata["id_token_signing_alg_values_supported"] = algorithms


def _secure(url: str) -> bool:
    """https, or http to this machine (a provider for development and tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
