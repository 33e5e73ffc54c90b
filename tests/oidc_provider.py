"""A small but real OpenID provider for the single-sign-on tests: HTTP on 127.0.0.1 in a thread.

It serves a discovery document, its signing keys (JWKS), an authorization endpoint that signs in
the configured person at once and sends the browser back with a code, a token endpoint (client
secret by HTTP Basic, PKCE S256 checked, each code once) issuing RS256 ID tokens signed with
joserfc, and a user-info endpoint. ``Provider.misbehave`` makes it issue what an attacker or a
broken provider would: an ID token with another nonce, an expired one, one for another audience or
issuer, one signed with a key it does not publish.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "praxis-hub"
CLIENT_SECRET = "s3cret-of-the-hub"
_KEY_SIZE = 2048


@dataclass
class Provider:
    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(_KEY_SIZE, parameters={"kid": "k1"}))
    person: dict[str, Any] = field(default_factory=dict)  # claims of the person who signs in
    misbehave: dict[str, Any] = field(default_factory=dict)  # see _id_token
    email_in_userinfo_only: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    # --- endpoints ---------------------------------------------------------------------------
    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", 404)
        return response(environ, start_response)

    def discovery(self, _request: Request) -> Response:
        document = {
            "issuer": self.misbehave.get("discovery_issuer", self.issuer),
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": self.misbehave.get("token_endpoint", f"{self.issuer}/token"),
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": self.misbehave.get("algorithms", ["RS256"]),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }
        return _json(document)

    def jwks(self, _request: Request) -> Response:
        return _json({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request: Request) -> Response:
        args = request.args.to_dict()
        self.authorize_requests.append(args)
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return Response("unknown client", 400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE S256 required", 400)
        if "cancel" in self.misbehave:
            query = {"error": "access_denied", "state": args.get("state", "")}
            return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{urlencode(query)}"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**args, "person": dict(self.person)}
        query = {"code": code, "state": args.get("state", "")}
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{urlencode(query)}"})

    def token(self, request: Request) -> Response:
        form = request.form.to_dict()
        self.token_requests.append(form)
        if request.authorization is None or (request.authorization.username, request.authorization.password) != (
            CLIENT_ID, CLIENT_SECRET):
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        if _challenge(form.get("code_verifier", "")) != grant["code_challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        access_token = secrets.token_urlsafe(16)
        self.codes[f"access:{access_token}"] = grant
        body: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300}
        if "no_id_token" not in self.misbehave:
            body["id_token"] = self._id_token(grant)
        return _json(body)

    def userinfo(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        grant = self.codes.get(f"access:{header.removeprefix('Bearer ')}")
        if grant is None:
            return _json({"error": "invalid_token"}, 401)
        return _json({**grant["person"], **self.misbehave.get("userinfo", {})})

    # --- tokens ------------------------------------------------------------------------------
    def _id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.get("nonce"),
            **grant["person"],
        }
        if self.email_in_userinfo_only:
            for name in ("email", "email_verified"):
                claims.pop(name, None)
        claims.update(self.misbehave.get("claims", {}))  # nonce, iss, aud, exp … as an attacker wants
        key = self.misbehave.get("signing_key", self.key)
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def other_key(kid: str = "k1") -> RSAKey:
    """A key the provider does not publish (same ``kid`` by default: only the signature tells)."""
    return RSAKey.generate_key(_KEY_SIZE, parameters={"kid": kid})


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


@contextmanager
def running(provider: Provider | None = None) -> Iterator[Provider]:
    """Serve ``provider`` on a free port of 127.0.0.1 until the block ends."""
    provider = provider or Provider()
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port_url() -> str:
    """The address of a port on 127.0.0.1 where nothing listens (a provider that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
