"""REST API v1: tokens, visibility, pagination, problems, rate limit, and the OpenAPI contract."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hub.api import tokens
from hub.extensions import db
from hub.models import ApiToken, Practice, TokenScope
from tests.factories import make_practice, user
from tests.support import csrf_token


def _token(username: str, scope: TokenScope = TokenScope.READ) -> str:
    _item, plain = tokens.create_token(user(username), "Test", scope)
    db.session.commit()
    return plain


def _auth(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_token_is_created_on_the_profile_page_shown_once_and_stored_hashed(client, session, login_as):
    login_as("jlehmann")
    token = csrf_token(client, "/account")
    page = client.post("/profile/tokens", data={"csrf_token": token, "name": "Auswertung", "scope": "read"})
    assert page.status_code == 200
    plain = page.get_data(as_text=True).split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert plain.startswith("ph_") and len(plain) > 30
    stored = db.session.scalars(sa.select(ApiToken).where(ApiToken.name == "Auswertung")).one()
    assert stored.token_hash == hashlib.sha256(plain.encode()).hexdigest() and plain not in stored.token_hash
    assert plain not in client.get("/account").get_data(as_text=True)  # never shown again
    assert client.get("/api/v1/practices", headers=_auth(plain)).status_code == 200
    client.post(f"/profile/tokens/{stored.id}/revoke", data={"csrf_token": token})
    client.post("/logout", data={"csrf_token": csrf_token(client, "/logout")})
    internal = make_practice(title="Nur intern", visibility="internal")
    assert client.get(f"/api/v1/practices/{internal.slug}", headers=_auth(plain)).status_code == 404


def test_token_sees_what_its_user_sees(client, session):
    internal = make_practice(title="Intern Biber", visibility="internal")
    draft = make_practice(title="Entwurf Biber", status="draft", centre="zz-thueringen")
    assert client.get(f"/api/v1/practices/{internal.slug}").status_code == 404
    reader = _auth(_token("jlehmann"))
    assert client.get(f"/api/v1/practices/{internal.slug}", headers=reader).status_code == 200
    assert client.get(f"/api/v1/practices/{draft.slug}", headers=reader).status_code == 404
    insider = _auth(_token("aschmidt"))
    assert client.get(f"/api/v1/practices/{draft.slug}", headers=insider).status_code == 200
    listed = client.get("/api/v1/practices?per_page=100&q=biber", headers=reader).get_json()
    assert [p["title"] for p in listed["results"]] == ["Intern Biber"]
    bad = client.get("/api/v1/practices", headers={"Authorization": "Bearer ph_falsch"})
    assert bad.status_code == 200 and all(p["visibility"] == "public" for p in bad.get_json()["results"])


def test_practice_json_and_etag(client, session):
    response = client.get("/api/v1/practices/ki-angebote-tischlerei")
    data = response.get_json()
    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")).one()
    assert response.headers["ETag"] == f'"{practice.head_revision_id}"'
    assert data["title"] == practice.title and data["sectors"] == ["C", "F"]
    assert data["outcome"]["result"] == "worked" and len(data["experiences"]) == len(practice.experiences)
    assert {"slug": "ki-grundlagen-workshop", "type": "builds-on"} in data["related"]


def test_pagination_links(client, session):
    first = client.get("/api/v1/practices?per_page=5&sector=C")
    data = first.get_json()
    assert data["page"] == 1 and len(data["results"]) == 5 and data["links"]["prev"] is None
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(data["links"]["next"].replace("http://localhost", "")).get_json()
    assert second["page"] == 2 and second["links"]["prev"].endswith("page=1")
    assert {p["slug"] for p in data["results"]}.isdisjoint(p["slug"] for p in second["results"])
    total = data["total"]
    last = client.get(f"/api/v1/practices?per_page=5&sector=C&page={(total + 4) // 5}").get_json()
    assert last["links"]["next"] is None


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/v1/practices?page=0", 400), ("/api/v1/practices?per_page=1000", 400), ("/api/v1/practices?page=x", 400),
     ("/api/v1/practices/gibt-es-nicht", 404), ("/api/v1/nichts", 404), ("/api/v1/collections/nichts", 404)],
)
def test_errors_are_problem_documents(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status


def test_wrong_method_is_a_problem_with_allow(client):
    response = client.delete("/api/v1/centres")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_rate_limit_per_token(app, client, session, monkeypatch):
    """The limit counts per token and minute; the clock stands at second 30 of a minute, so the test
    does not depend on which second of the minute it runs in."""
    plain = _token("jlehmann")
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    mid_minute = tokens.utcnow().replace(second=30, microsecond=0)
    monkeypatch.setattr(tokens, "utcnow", lambda: mid_minute)
    codes = [client.get("/api/v1/centres", headers=_auth(plain)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = client.get("/api/v1/centres", headers=_auth(plain))
    assert blocked.mimetype == "application/problem+json" and int(blocked.headers["Retry-After"]) == 30
    assert client.get("/api/v1/centres", headers=_auth(_token("mkoch"))).status_code == 200  # per token


def test_docs_page_and_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0" and "/practices/{slug}" in spec["paths"]
    html = client.get("/api/docs").get_data(as_text=True)
    assert "GET /api/v1/practices" in html and "cdn" not in html.lower()


def _conforms_to_the_spec(app, headers: dict[str, str], examples: int) -> Counter[int]:
    """Schemathesis cases for every operation; returns how many answers had each status code.

    Not checked: that every schema-valid body is accepted — a body may name a centre, practice or
    report that does not exist, which no static schema can rule out (the answer is then a 422 problem).
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = app.test_client()
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def conforms(case: schemathesis.Case) -> None:
            # Through the test client: each request gets a fresh ``g`` (the test's app context is reused)
            request = case.as_transport_kwargs(headers=headers)
            response = client.open(**request)
            case.validate_response(
                response, headers=headers, transport_kwargs=request, excluded_checks=[positive_data_acceptance]
            )
            statuses[response.status_code] += 1

        conforms()
    return statuses


def test_api_matches_its_openapi_document(app, session):
    """Schemathesis generates requests for every operation: no 5xx, every response as documented."""
    _conforms_to_the_spec(app, {}, examples=20)


def test_api_matches_its_openapi_document_for_a_coordinator_writing(app, session, monkeypatch):
    """The same with a coordinator's read-write token: generated writes are validated or carried out.
    (Issue 13 rule 15: this test used a reader's token while its name claimed a coordinator's.)"""
    plain = _token("mkoch", TokenScope.READ_WRITE)
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 100_000)
    statuses = _conforms_to_the_spec(app, _auth(plain), examples=12)
    assert statuses[401] == 0  # the token was accepted for every operation (403: not theirs to change)
    assert statuses[200] and statuses[422] and not any(code >= 500 for code in statuses)


def test_ids_beyond_a_database_integer_are_not_found(client, session, login_as):
    plain = _token("jlehmann", TokenScope.READ_WRITE)
    answer = client.delete("/api/v1/experiences/99999999999", headers=_auth(plain))
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    login_as("jlehmann")
    token = csrf_token(client, "/profile")  # issue 13 rule 15: with CSRF, so only "not found" can answer
    assert client.post("/profile/tokens/99999999999/revoke", data={"csrf_token": token}).status_code == 404
