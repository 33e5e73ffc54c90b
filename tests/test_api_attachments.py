"""API v1: a practice's attachments listed, and files attached by multipart upload with the same
checks and visibility as the attachment page."""

from __future__ import annotations

import io

import pytest

from hub.api import tokens
from hub.attachments.operations import add_attachment
from hub.extensions import db
from hub.models import TokenScope
from tests.factories import make_practice, user
from tests.sample_files import macro_enabled, pdf


def _auth(username: str, scope: TokenScope = TokenScope.READ_WRITE) -> dict[str, str]:
    _item, plain = tokens.create_token(user(username), "Test", scope)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_list_attachments_in_order_with_download_urls(client, session):
    """Rule: GET …/attachments lists the files with type, size, text state and a download URL."""
    practice = make_practice()
    add_attachment(user("tbauer"), practice, pdf("eins"), "eins.pdf", title="Erste")
    add_attachment(user("tbauer"), practice, b"a;b\n1;2\n", "zwei.csv")
    db.session.commit()
    answer = client.get(f"/api/v1/practices/{practice.slug}/attachments")
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [(r["title"], r["name"], r["type"]) for r in results] == [
        ("Erste", "eins.pdf", "application/pdf"),
        ("zwei", "zwei.csv", "text/csv"),
    ]
    assert results[0]["text"] == "ok"
    assert client.get(results[0]["url"]).data == pdf("eins")


def test_attachments_of_a_hidden_practice_are_404(client, session):
    """Rule: the API shows a draft's files only to who may see the draft."""
    practice = make_practice(status="draft")
    assert client.get(f"/api/v1/practices/{practice.slug}/attachments").status_code == 404


def test_upload_by_multipart(client, session):
    """Rule: POST multipart attaches a file (201) as a new revision."""
    practice = make_practice()
    answer = client.post(
        f"/api/v1/practices/{practice.slug}/attachments",
        data={"file": (io.BytesIO(pdf("per API")), "api.pdf"), "title": "Per API", "note": "Notiz"},
        content_type="multipart/form-data",
        headers=_auth("tbauer"),
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert (body["title"], body["name"], body["note"], body["type"]) == ("Per API", "api.pdf", "Notiz", "application/pdf")
    assert practice.head.data["attachments"][0]["name"] == "api.pdf"


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (macro_enabled("docm"), "makro.docm", "macros"),
        (b"<svg onload='alert(1)'/>", "bild.pdf", "markup"),
        (b"", "leer.pdf", "empty"),
    ],
)
def test_upload_is_checked_like_the_page(client, session, content, name, reason):
    """Rule: the same content checks: a refused file is a 422 problem naming the reason."""
    practice = make_practice()
    answer = client.post(
        f"/api/v1/practices/{practice.slug}/attachments",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=_auth("tbauer"),
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["errors"]["file"] == [reason]


def test_upload_needs_edit_rights_and_a_write_token(client, session):
    """Rule: a reader's token gets 403; a read-only token too."""
    practice = make_practice()
    url = f"/api/v1/practices/{practice.slug}/attachments"
    for headers in (_auth("jlehmann"), _auth("tbauer", TokenScope.READ)):
        answer = client.post(
            url, data={"file": (io.BytesIO(pdf("x")), "x.pdf")}, content_type="multipart/form-data", headers=headers
        )
        assert answer.status_code == 403


def test_openapi_documents_the_attachment_endpoints(client):
    """Rule: OpenAPI describes listing and the multipart upload."""
    spec = client.get("/api/v1/openapi.json").get_json()
    path = spec["paths"]["/practices/{slug}/attachments"]
    assert path["get"]["operationId"] == "listAttachments"
    assert "multipart/form-data" in path["post"]["requestBody"]["content"]
    assert "Attachment" in spec["components"]["schemas"]
