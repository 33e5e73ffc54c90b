"""Every error below ``/api/`` is an ``application/problem+json`` with the right status — whichever hook
answers it (CSRF, method, size, limits, unknown routes) — and a request carrying a token is the
token's, whatever cookies come with it."""

from __future__ import annotations

import io

import pytest

from hub.models import TokenScope
from tests.factories import make_practice
from tests.support import DEMO_PASSWORD, csrf_token
from tests.test_api_writes import NEW, _auth

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM, response.mimetype
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def _etag_and_body(client, slug: str, headers: dict) -> tuple[str, dict]:
    response = client.get(f"/api/v1/practices/{slug}", headers=headers)
    body = response.get_json()
    keep = ("title", "kind", "centre", "summary", "sectors", "sizes", "topics", "visibility", "body")
    return response.headers["ETag"], {key: body[key] for key in keep}


def test_a_session_write_without_csrf_header_is_a_json_problem(client, session, login_as):
    """Rule: a failed CSRF check on the API answers 400 as a problem, not the HTML error page."""
    login_as("tbauer")
    body = _problem(client.post("/api/v1/practices", json=NEW), 400)
    assert "CSRF" in body["title"] + body.get("detail", "")
    practice = make_practice(title="Für die CSRF-Probe", slug="csrf-probe", centre="zz-sachsen")
    etag, data = _etag_and_body(client, practice.slug, {})
    _problem(client.put(f"/api/v1/practices/{practice.slug}", json=data, headers={"If-Match": etag}), 400)
    wrong = {"If-Match": etag, "X-CSRFToken": "nicht-das-richtige"}
    _problem(client.put(f"/api/v1/practices/{practice.slug}", json=data, headers=wrong), 400)


def test_a_token_request_with_a_session_cookie_is_the_tokens(client, session, login_as):
    """Rule: with ``Authorization: Bearer`` the token decides — a browser session sent along (someone
    trying the API while logged in) neither needs nor replaces it: a read-write token writes without
    a CSRF header, and a read token stays read-only even beside a coordinator's session."""
    practice = make_practice(title="Mit Sitzung und Token", slug="sitzung-und-token", centre="zz-sachsen")
    login_as("mkoch")  # a coordinator's browser session
    writer = _auth("tbauer")
    etag, data = _etag_and_body(client, practice.slug, writer)
    data["summary"] = "Geändert mit einem Token neben einer Sitzung."
    saved = client.put(f"/api/v1/practices/{practice.slug}", json=data, headers={**writer, "If-Match": etag})
    assert saved.status_code == 200, saved.get_json()
    reader = _auth("jlehmann", TokenScope.READ)
    etag = saved.headers["ETag"]
    body = _problem(client.put(f"/api/v1/practices/{practice.slug}", json=data,
                               headers={**reader, "If-Match": etag}), 403)
    assert "read" in body["detail"]
    assert client.get("/account").status_code == 200  # the session itself is untouched


def test_a_token_beside_a_remember_cookie_is_the_tokens(app, client, session):
    """Rule: a "stay logged in" cookie without its session does not hide the token either."""
    data = {"username": "jlehmann", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, "/login"),
            "remember": "y"}
    assert client.post("/login", data=data).status_code == 302
    browser = app.test_client()
    browser.set_cookie("remember_token", client.get_cookie("remember_token").value)
    created = browser.post("/api/v1/practices", json=NEW, headers=_auth("tbauer"))
    assert created.status_code == 201, created.get_json()  # the reader's cookie would need CSRF and may not


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/gibt-es-nicht", 404),
    ("GET", "/api/gibt-es-nicht", 404),
    ("DELETE", "/api/v1/practices", 405),
    ("POST", "/api/v1/centres", 405),
    ("POST", "/api/docs", 405),
    ("GET", "/api/v1/practices/gibt-es-nicht", 404),
])
def test_routing_errors_below_api_are_problems(client, session, method, path, status):
    """Rule: unknown routes and wrong methods anywhere below /api/ are problems too."""
    response = client.open(path, method=method, headers=_auth("tbauer"))
    _problem(response, status)
    if status == 405:
        assert response.headers["Allow"]


def test_a_body_over_the_size_limit_is_a_problem(app, client, session):
    """Rule: 413 from the size limit (read before any view runs) is a problem on the API."""
    practice = make_practice(title="Zu große Datei", slug="zu-grosse-datei", centre="zz-sachsen")
    app.config["MAX_CONTENT_LENGTH"] = 2048
    files = {"file": (io.BytesIO(b"x" * 4096), "gross.txt")}
    response = client.post(f"/api/v1/practices/{practice.slug}/attachments", data=files,
                           headers=_auth("tbauer"), content_type="multipart/form-data")
    _problem(response, 413)
    big = client.post("/api/v1/practices", data=b'{"title": "' + b"x" * 4096 + b'"}',
                      headers={**_auth("tbauer"), "Content-Type": "application/json"})
    _problem(big, 413)


def test_limits_are_problems(app, client, session):
    """Rule: 429 from the anonymous search limit and from a token's rate limit are problems with
    Retry-After."""
    app.config["SEARCH_ANONYMOUS_PER_MINUTE"] = 1
    assert client.get("/api/v1/search?q=werkstatt").status_code == 200
    limited = client.get("/api/v1/search?q=schichtplan")
    _problem(limited, 429)
    assert limited.headers["Retry-After"]
    app.config["API_RATE_LIMIT"] = 1
    token = _auth("tbauer")
    assert client.get("/api/v1/centres", headers=token).status_code == 200
    again = client.get("/api/v1/centres", headers=token)
    _problem(again, 429)
    assert again.headers["Retry-After"]
