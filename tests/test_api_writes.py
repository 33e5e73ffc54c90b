"""API writes: the same role × transition table as the UI (tests/test_workflow.py), If-Match conflicts,
field problems, token scopes, CSRF for session callers, experience reports."""

from __future__ import annotations

import pytest

from hub.api import tokens
from hub.extensions import db
from hub.models import TokenScope
from tests.factories import make_practice, user
from tests.support import csrf_token
from tests.test_workflow import ALLOWED, ENDS, MATRIX, STARTS, _practice


def _auth(username: str, scope: TokenScope = TokenScope.READ_WRITE) -> dict[str, str]:
    _item, plain = tokens.create_token(user(username), "Test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


NEW = {
    "title": "Neue Praxis über die API",
    "kind": "method",
    "centre": "zz-sachsen",
    "summary": "Angelegt von einem Programm.",
    "sectors": ["C"],
    "sizes": ["small"],
    "topics": ["prozessdigitalisierung"],
    "tags": ["api-test"],
    "visibility": "public",
    "body": "## Vorgehen\n\nSiehe [[ki-grundlagen-workshop]].",
}


@pytest.mark.parametrize(("step", "role"), MATRIX, ids=[f"{s}-{r}" for s, r in MATRIX])
def test_transition_matrix_via_api(client, session, step, role):
    practice = _practice(step)
    response = client.post(f"/api/v1/practices/{practice.slug}/transitions", headers=_auth(role),
                           json={"transition": step.value, "comment": "Bitte überarbeiten."})
    db.session.expire_all()
    if role in ALLOWED[step]:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == ENDS[step].value
    else:
        assert response.status_code in (403, 404), response.get_json()
        assert response.mimetype == "application/problem+json"
        assert practice.status == STARTS[step]  # unchanged (issue 13 rule 15: was vacuous for DRAFT ends)


def test_create_then_update_with_if_match_and_conflict(client, session):
    headers = _auth("tbauer")
    created = client.post("/api/v1/practices", headers=headers, json=NEW)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "draft" and data["slug"] == "neue-praxis-ueber-die-api"
    assert created.headers["Location"].endswith("/api/v1/practices/neue-praxis-ueber-die-api")
    etag = created.headers["ETag"]

    url = "/api/v1/practices/neue-praxis-ueber-die-api"
    assert client.put(url, headers=headers, json=NEW).status_code == 428  # If-Match required
    first = client.put(url, headers={**headers, "If-Match": etag}, json={**NEW, "summary": "Erste Änderung."})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    stale = client.put(url, headers={**headers, "If-Match": etag}, json={**NEW, "summary": "Zweite Änderung."})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert f'"{stale.get_json()["current_revision"]}"' == first.headers["ETag"]
    assert client.get(url).status_code == 404  # a draft: anonymous callers do not see it
    assert client.get(url, headers=headers).get_json()["summary"] == "Erste Änderung."


def test_windows_line_endings_in_a_body_are_kept_as_line_feeds(client, session):
    created = client.post("/api/v1/practices", headers=_auth("tbauer"),
                          json={**NEW, "body": "## Ausgangslage\r\n\r\nText"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["body"] == "## Ausgangslage\n\nText"


def test_field_problems_are_listed(client, session):
    bad = {**NEW, "sectors": ["Z"], "kind": "roman", "unbekannt": 1, "status": "published"}
    response = client.post("/api/v1/practices", headers=_auth("tbauer"), json=bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "status" in errors  # a create cannot publish (issue 13 rule 15: the "or" made this vacuous)
    response = client.post("/api/v1/practices", headers=_auth("tbauer"), json={**NEW, "sectors": ["Z"], "kind": "roman"})
    assert {"sectors", "kind"} <= set(response.get_json()["errors"])
    assert client.post("/api/v1/practices", headers=_auth("tbauer"), data="kein json").status_code == 400


def test_permissions_of_writes(client, session):
    other_centre = {**NEW, "centre": "zz-thueringen"}
    assert client.post("/api/v1/practices", headers=_auth("tbauer"), json=other_centre).status_code == 403
    assert client.post("/api/v1/practices", headers=_auth("jlehmann"), json=NEW).status_code == 403
    assert client.post("/api/v1/practices", json=NEW).status_code == 401
    read_only = _auth("mkoch", TokenScope.READ)
    response = client.post("/api/v1/practices", headers=read_only, json=NEW)
    assert response.status_code == 403 and "read" in response.get_json()["detail"]


def test_session_callers_need_the_csrf_header(client, session, login_as):
    login_as("tbauer")
    assert client.post("/api/v1/practices", json=NEW).status_code == 400
    token = csrf_token(client, "/")
    response = client.post("/api/v1/practices", json=NEW, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_experience_reports(client, session):
    practice = make_practice(title="Bewährt", slug="bewaehrt")
    reader = _auth("jlehmann")
    report = {"centre": "zz-sachsen", "sector": "C", "size": "micro", "result": "worked", "date": "2025-10-01",
              "note": "Lief gut."}
    created = client.post("/api/v1/practices/bewaehrt/experiences", headers=reader, json=report)
    assert created.status_code == 201
    report_id = created.get_json()["id"]
    assert client.put(f"/api/v1/experiences/{report_id}", headers=_auth("tbauer"), json=report).status_code == 403
    changed = client.put(f"/api/v1/experiences/{report_id}", headers=reader, json={**report, "result": "partly"})
    assert changed.get_json()["result"] == "partly"
    bad = client.post("/api/v1/practices/bewaehrt/experiences", headers=reader, json={**report, "sector": "Z"})
    assert bad.status_code == 422 and "sector" in bad.get_json()["errors"]
    assert client.delete(f"/api/v1/experiences/{report_id}", headers=reader).status_code == 204
    db.session.refresh(practice)
    assert practice.experiences == []


def test_collections_via_api(client, session):
    headers = _auth("aschmidt")  # contributor of zz-thueringen: curates for their own centre
    body = {"title": "Thüringer Auswahl", "visibility": "public", "intro": "Für **Handwerk**.",
            "practices": ["ki-grundlagen-workshop", "ki-angebote-tischlerei"]}
    created = client.post("/api/v1/collections", headers=headers, json=body)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["slug"] == "thueringer-auswahl" and data["centre"] == "zz-thueringen"
    assert data["practices"] == ["ki-grundlagen-workshop", "ki-angebote-tischlerei"]
    reordered = client.put("/api/v1/collections/thueringer-auswahl", headers=headers,
                           json={**body, "practices": ["ki-angebote-tischlerei"]})
    assert reordered.get_json()["practices"] == ["ki-angebote-tischlerei"]
    other = client.put("/api/v1/collections/ki-einstieg-handwerk", headers=headers, json=body)
    assert other.status_code == 403  # curated by another centre
    bad = client.post("/api/v1/collections", headers=headers, json={**body, "practices": ["gibt-es-nicht"]})
    assert bad.status_code == 422 and "practices" in bad.get_json()["errors"]
    assert client.post("/api/v1/collections", headers=_auth("jlehmann"), json=body).status_code == 403
    windows = client.put("/api/v1/collections/thueringer-auswahl", headers=headers,
                         json={**body, "intro": "Zeile eins\r\nZeile zwei"})
    assert windows.get_json()["intro"] == "Zeile eins\nZeile zwei"  # kept as LF, as an export writes it
    bell = client.put("/api/v1/collections/thueringer-auswahl", headers=headers, json={**body, "intro": "a\x07"})
    assert bell.status_code == 422 and "control character U+0007" in bell.get_json()["errors"]["intro"][0]
