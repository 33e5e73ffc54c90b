"""The editor: creating and editing over HTTP, field errors, preview, tags, links, image upload."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import OutboxEvent, Practice, Upload
from hub.practices.operations import create_practice
from tests.factories import make_practice, practice_data, user
from tests.support import csrf_token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


def valid_form(client, **changes):
    data = {
        "csrf_token": csrf_token(client, "/practices/new"),
        "title": "Digitale Schichtplanung im Pflegedienst",
        "slug": "",
        "kind": "case-study",
        "centre": "zz-sachsen",
        "authors": "tbauer",
        "summary": "Ein Pflegedienst plant Schichten digital.",
        "sectors": ["Q"],
        "sizes": ["small"],
        "topics": ["prozessdigitalisierung"],
        "tags": "schichtplanung",
        "visibility": "public",
        "outcome_result": "worked",
        "outcome_effort_days": "3.5",
        "outcome_cost_eur": "1200",
        "related-0-slug": "",
        "related-0-type": "see-also",
        "body": "## Ausgangslage\n\nViele Telefonate.",
        "message": "Erste Fassung",
        "action": "save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _errors(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        ul["id"].removesuffix("-errors"): [li.get_text() for li in ul.select("li")]
        for ul in soup.select("ul.field-errors")
    }


def test_contributor_creates_a_draft(client, login_as):
    login_as("tbauer")
    response = client.post("/practices/new", data=valid_form(client))
    assert response.status_code == 302
    practice = db.session.scalars(
        db.select(Practice).where(Practice.slug == "digitale-schichtplanung-im-pflegedienst")
    ).one()
    assert practice.status.value == "draft"
    assert [s.code for s in practice.sectors] == ["Q"]
    assert practice.outcome_cost_eur == 1200 and str(practice.outcome_effort_days) == "3.5"
    assert practice.revisions[0].message == "Erste Fassung" and practice.revisions[0].author == user("tbauer")
    assert db.session.scalars(db.select(OutboxEvent).where(OutboxEvent.practice_id == practice.id)).all()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gespeichert" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Bitte geben Sie einen Titel ein."),
        ("title", "x" * 301, "Höchstens 300 Zeichen."),
        ("slug", "Mit Leerzeichen", "Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche."),
        ("slug", "Neu", "Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche."),
        ("slug", "new", "Diese Adresse ist der Name einer Seite des Hubs"),
        ("kind", "roman", "Not a valid choice."),
        ("centre", "zz-thueringen", "Not a valid choice."),
        ("authors", "tbauer, niemand", "Unbekannte Benutzernamen: niemand"),
        ("summary", "", "Bitte schreiben Sie eine kurze Zusammenfassung."),
        ("sectors", None, "Wählen Sie mindestens eine Branche."),
        ("sizes", None, "Wählen Sie mindestens eine Unternehmensgröße."),
        ("topics", None, "Wählen Sie mindestens ein Thema."),
        ("tags", "gut, <b>böse</b>", "nicht gültig: <b>böse</b>"),
        ("visibility", None, "Bitte wählen Sie, wer es lesen darf."),
        ("outcome_result", "maybe", "Not a valid choice."),
        ("outcome_effort_days", "viel", "Not a valid decimal value."),
        ("outcome_effort_days", "-1", "Eine Zahl zwischen 0 und 9999."),
        ("outcome_cost_eur", "12,50", "Not a valid integer value."),
        ("related-0-slug", "gibt-es-nicht", "Kein Praxisbeispiel mit dieser Adresse."),
        ("body", "x" * 200_001, "Höchstens 200000 Zeichen."),
        ("message", "m" * 501, "Höchstens 500 Zeichen."),
        ("title", "Glocke \x07 läutet", "Enthält ein unsichtbares Steuerzeichen (U+0007)."),
        ("body", "Text mit \x1b[31m Farbcode", "Enthält ein unsichtbares Steuerzeichen (U+001B)."),
        ("related-0-slug", "hofladen\x08digital", "Enthält ein unsichtbares Steuerzeichen (U+0008)."),
    ],
)
def test_each_field_reports_its_error_next_to_it(client, login_as, field, value, message):
    login_as("tbauer")
    response = client.post("/practices/new", data=valid_form(client, **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = _errors(html)
    assert field in errors, errors
    translated = {"Not a valid choice.": "Keine gültige Auswahl", "Not a valid decimal value.": "Dezimal"}
    expected = translated.get(message, message)
    if message == "Not a valid integer value.":
        expected = "ganze Zahl"
    assert any(expected.lower() in e.lower() for e in errors[field]), errors[field]
    soup = BeautifulSoup(html, "html.parser")
    assert "Fehler" in soup.select_one(".error-summary h2").get_text()
    element = soup.find(id=field)
    assert element.get("aria-invalid") == "true" or element.name == "fieldset"
    assert f"{field}-errors" in element.get("aria-describedby", "")
    assert (
        db.session.scalars(
            db.select(Practice).where(Practice.title == "Digitale Schichtplanung im Pflegedienst")
        ).first()
        is None
    )


def test_browser_line_endings_are_stored_as_line_feeds(client, login_as):
    """Textareas arrive with CRLF; the hub keeps LF, so exports stay readable by the import."""
    login_as("tbauer")
    form = valid_form(client, summary="Zeile eins\r\nZeile zwei", body="## A\r\n\r\nText\rmehr")
    assert client.post("/practices/new", data=form).status_code == 302
    practice = db.session.scalars(
        db.select(Practice).where(Practice.slug == "digitale-schichtplanung-im-pflegedienst")
    ).one()
    assert (practice.summary, practice.body) == ("Zeile eins\nZeile zwei", "## A\n\nText\nmehr")


def test_error_summary_counts_errors(client, login_as):
    login_as("tbauer")
    html = client.post(
        "/practices/new", data=valid_form(client, title="", summary="", sectors=None)
    ).get_data(as_text=True)
    assert "3 Fehler" in html


def test_near_duplicate_tag_is_suggested_and_can_be_kept(client, login_as):
    login_as("tbauer")
    response = client.post("/practices/new", data=valid_form(client, tags="schichtplanungen"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "schichtplanung" in _errors(html)["tags"][0]
    response = client.post(
        "/practices/new", data=valid_form(client, tags="schichtplanungen", confirm_new_tags="y")
    )
    assert response.status_code == 302


def test_alias_tags_resolve_to_the_canonical_tag(client, login_as):
    login_as("tbauer")
    assert client.post("/practices/new", data=valid_form(client, tags="Schichtplan, KI")).status_code == 302
    practice = db.session.scalars(db.select(Practice).order_by(Practice.id.desc())).first()
    assert [t.name for t in practice.tags] == ["kuenstliche-intelligenz", "schichtplanung"]


def test_tag_suggestions_resolve_aliases_and_near_duplicates(client, login_as):
    login_as("tbauer")
    names = [item["name"] for item in client.get("/practices/suggest/tags?q=Schichtplan").get_json()]
    assert "schichtplanung" in names
    items = client.get("/practices/suggest/tags?q=chatg").get_json()
    assert items[0]["name"] == "sprachmodell" and items[0]["alias"] == "chatgpt"


def test_related_link_suggestions_respect_visibility(client, login_as):
    hidden = make_practice(title="Geheimer Entwurf Zebra", centre="zz-thueringen", status="draft")
    login_as("tbauer")
    assert client.get("/practices/suggest/practices?q=zebra").get_json() == []
    response = client.post(
        "/practices/new",
        data=valid_form(client, **{"related-0-slug": hidden.slug, "related-0-type": "builds-on"}),
    )
    assert "Kein Praxisbeispiel mit dieser Adresse." in response.get_data(as_text=True)
    hits = client.get("/practices/suggest/practices?q=tischlerei").get_json()
    assert {"slug": "ki-angebote-tischlerei", "title": hits[0]["title"]} in hits


def test_typed_related_links_are_saved(client, login_as):
    login_as("tbauer")
    data = valid_form(client, **{"related-0-slug": "ki-angebote-tischlerei", "related-0-type": "builds-on"})
    assert client.post("/practices/new", data=data).status_code == 302
    practice = db.session.scalars(db.select(Practice).order_by(Practice.id.desc())).first()
    assert [(link.target.slug, link.type.value) for link in practice.links] == [
        ("ki-angebote-tischlerei", "builds-on")
    ]


def test_readers_and_anonymous_cannot_open_the_editor(client, login_as):
    assert client.get("/practices/new").status_code == 302
    # Pins issue-13 rule 13: an anonymous save with a valid CSRF token goes to the login page
    token = csrf_token(client, "/login")
    for url in ("/practices/new", "/practices/ki-angebote-tischlerei/edit"):
        response = client.post(url, data={"csrf_token": token, "title": "Anonym"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login_as("jlehmann")
    assert client.get("/practices/new").status_code == 403
    assert client.get("/practices/ki-angebote-tischlerei/edit").status_code == 403
    assert "Neues Praxisbeispiel" not in client.get("/").get_data(as_text=True)


def test_contributor_edits_only_their_centres_practices(client, login_as):
    own = make_practice(centre="zz-sachsen")
    other = make_practice(centre="zz-thueringen")
    login_as("tbauer")
    assert client.get(f"/practices/{own.slug}/edit").status_code == 200
    assert client.get(f"/practices/{other.slug}/edit").status_code == 403
    html = client.get("/").get_data(as_text=True)
    assert "Neues Praxisbeispiel" in html


def test_preview_uses_the_published_pipeline(client, login_as):
    login_as("tbauer")
    token = csrf_token(client, "/practices/new")
    body = "## Titel\n\n[[ki-angebote-tischlerei]] <script>alert(1)</script>"
    html = client.post("/practices/preview", data={"body": body}, headers={"X-CSRFToken": token}).get_json()[
        "html"
    ]
    assert '<h2 id="h-titel">Titel</h2>' in html
    assert 'href="/practices/ki-angebote-tischlerei"' in html
    assert "<script" not in html
    page = client.post("/practices/new", data=valid_form(client, body=body, action="preview"))
    assert page.status_code == 200
    preview = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("#preview")
    assert preview.select_one("h2#h-titel") is not None and preview.select_one("script") is None


@pytest.mark.parametrize(
    ("content", "extension", "kind"),
    [(PNG, "png", "image/png"), (JPEG, "jpg", "image/jpeg"), (WEBP, "webp", "image/webp")],
)
def test_upload_stores_image_and_serves_it_safely(client, login_as, content, extension, kind):
    login_as("tbauer")
    data = valid_form(
        client, action="upload", image=(io.BytesIO(content), "Bildschirm foto.png"), image_alt=""
    )
    response = client.post("/practices/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    body = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#body").get_text()
    upload = db.session.scalars(db.select(Upload).order_by(Upload.id.desc())).first()
    assert upload.name.endswith("." + extension) and upload.content_type == kind
    assert f"![Bildschirm foto](/uploads/{upload.name})" in body
    served = client.get(f"/uploads/{upload.name}")
    assert served.status_code == 200 and served.data == content
    assert served.headers["Content-Type"] == kind
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "content",
    [
        b"<script>alert(document.cookie)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"GIF89a<script>alert(1)</script>",
        b"<html><body><img src=x onerror=alert(1)></body></html>" + PNG,
    ],
)
def test_script_disguised_as_image_is_refused(client, login_as, content):
    login_as("tbauer")
    before = db.session.scalar(db.select(db.func.count(Upload.id)))
    data = valid_form(client, action="upload", image=(io.BytesIO(content), "foto.png"))
    html = client.post("/practices/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Nur PNG-, JPEG- und WebP-Bilder" in _errors(html)["image"][0]
    token = csrf_token(client, "/practices/new")
    response = client.post(
        "/uploads",
        data={"image": (io.BytesIO(content), "x.jpg")},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "error" in response.get_json()
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == before


def test_upload_size_limit(app, client, login_as):
    app.config["UPLOAD_MAX_BYTES"] = 100
    try:
        login_as("tbauer")
        data = valid_form(client, action="upload", image=(io.BytesIO(PNG + b"\x00" * 200), "gross.png"))
        html = client.post("/practices/new", data=data, content_type="multipart/form-data").get_data(
            as_text=True
        )
        assert "größer als" in _errors(html)["image"][0]
    finally:
        del app.config["UPLOAD_MAX_BYTES"]


def test_readers_cannot_upload(client, login_as):
    login_as("jlehmann")
    token = csrf_token(client, "/")
    response = client.post(
        "/uploads",
        data={"image": (io.BytesIO(PNG), "x.png")},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403


def test_unknown_upload_names_are_not_served(client):
    assert client.get("/uploads/../../secret_key").status_code == 404
    assert client.get("/uploads/" + "a" * 32 + ".png").status_code == 404


def test_taken_slug_is_a_field_error(client, login_as):
    login_as("tbauer")
    response = client.post("/practices/new", data=valid_form(client, slug="ki-angebote-tischlerei"))
    assert response.status_code == 422
    assert (
        "Diese Adresse ist nicht verfügbar; bitte wählen Sie eine andere."
        in _errors(response.get_data(as_text=True))["slug"]
    )


def test_contributor_cannot_create_for_another_centre_even_by_forging_the_form(client, login_as, session):
    with pytest.raises(PermissionDenied):
        create_practice(user("tbauer"), practice_data(centre="zz-thueringen"))


def test_json_upload_for_the_editor_script(client, login_as):
    login_as("tbauer")
    token = csrf_token(client, "/practices/new")
    response = client.post(
        "/uploads",
        data={"image": (io.BytesIO(PNG), "Ablauf [neu].png"), "alt": ""},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["url"].startswith("/uploads/") and answer["markdown"] == f"![Ablauf neu]({answer['url']})"
    assert client.get(answer["url"]).headers["Content-Type"] == "image/png"
