"""Attachments on practices: recognised by content, stored once per hash, every change a revision,
served only to readers of the practice, pruned when nothing refers to them."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.attachments.files import (
    CSV,
    DOCX,
    ODP,
    ODS,
    ODT,
    PDF,
    PPTX,
    TXT,
    XLSX,
    AttachmentRefused,
    normalise_name,
    sniff,
)
from hub.attachments.operations import (
    add_attachment,
    describe_attachment,
    file_path,
    move_attachment,
    remove_attachment,
)
from hub.extensions import db
from hub.models import Practice, Revision, Upload
from hub.models._types import utcnow
from tests.factories import make_practice, user
from tests.sample_files import (
    encrypted_office,
    macro_enabled,
    odf,
    ooxml,
    pdf,
    zip_bomb,
)
from tests.support import csrf_token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _practice(slug: str) -> Practice:
    return db.session.scalars(sa.select(Practice).where(Practice.slug == slug)).one()


def _attach(client, slug: str, content: bytes, name: str, **fields: str):
    token = csrf_token(client, f"/practices/{slug}/attachments")
    data = {"csrf_token": token, "file": (io.BytesIO(content), name), **fields}
    return client.post(f"/practices/{slug}/attachments", data=data, content_type="multipart/form-data")


# --- recognised by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (pdf("Seite eins"), "bericht.docx", PDF),
        (ooxml(DOCX), "bericht.pdf", DOCX),
        (ooxml(XLSX), "liste", XLSX),
        (ooxml(PPTX), "folien.odp", PPTX),
        (odf(ODT), "text.docx", ODT),
        (odf(ODS), "tabelle.xlsx", ODS),
        (odf(ODP), "folien.pptx", ODP),
        ("Name;Ort;Anzahl\nMüller;Jena;3\nSchulz;Gera;4\n".encode(), "daten.txt", CSV),
        ("Ein Protokoll.\nZweite Zeile.\n".encode("cp1252"), "notiz.csv", TXT),
        (PNG, "bild.pdf", "image/png"),
    ],
)
def test_type_is_decided_by_content_not_name(content, name, expected):
    """Rule: the content decides the type; the file name never does."""
    assert sniff(content, name) == expected


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "markup"),
        (b"<?xml version='1.0'?><svg/>", "markup"),
        (macro_enabled("docm"), "macros"),
        (macro_enabled("xlsm"), "macros"),
        (odf(ODT, {"Basic/Standard/Module1.xml": b"<script/>"}), "macros"),
        (ooxml(DOCX)[:200], "damaged"),
        (b"GIF89a" + b"\x00" * 20, "unsupported"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported"),  # old binary .doc
        (b"", "empty"),
    ],
)
def test_hostile_or_unknown_files_are_refused(content, reason):
    """Rule: markup renamed .pdf, macro-enabled Office files, damaged archives and unknown types
    are refused with a reason."""
    with pytest.raises(AttachmentRefused) as refused:
        sniff(content, "harmlos.pdf")
    assert refused.value.reason == reason


@pytest.mark.parametrize("content_type", [DOCX, XLSX])
def test_zip_bomb_disguised_as_office_file_is_refused(content_type):
    """Rule: an archive that would unpack far beyond its size is refused before anything reads it."""
    bomb = zip_bomb(content_type)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(AttachmentRefused) as refused:
        sniff(bomb, "bericht.docx")
    assert refused.value.reason == "zip-bomb"


def test_encrypted_office_file_takes_the_type_its_name_announces():
    """Rule: a password-protected OOXML file is accepted (its text is unreadable), typed by its name."""
    assert sniff(encrypted_office(), "geheim.xlsx") == XLSX
    with pytest.raises(AttachmentRefused):
        sniff(encrypted_office(), "geheim.exe")


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd.pdf", PDF, "passwd.pdf"),
        ("C:\\Users\\x\\Bericht 2025.pdf", PDF, "Bericht 2025.pdf"),
        ("Be\x00ri\x1bcht\r\n.pdf", PDF, "Be ri cht.pdf"),
        ("bericht.exe", PDF, "bericht.exe.pdf"),
        ("", DOCX, "Datei.docx"),
        ("...", TXT, "Datei.txt"),
        ("foto.JPEG", "image/jpeg", "foto.jpeg"),
    ],
)
def test_file_names_are_normalised(name, content_type, expected):
    """Rule: no path separators, no control characters, the extension of the real type."""
    assert normalise_name(name, content_type) == expected


def test_long_file_names_are_cut_keeping_the_extension():
    """Rule: a 300-character name becomes at most 200 characters, extension kept."""
    name = normalise_name("ä" * 300 + ".pdf", PDF)
    assert len(name) == 200 and name.endswith(".pdf")


# --- attaching, revisions, history --------------------------------------------------------------


def test_attach_lists_file_on_the_practice_page_and_records_a_revision(client, login_as):
    """Rule: a contributor attaches a file; the page lists it with type, size and a download link;
    the change is a revision whose history names the file."""
    practice = make_practice(authors=["tbauer"])
    login_as("tbauer")
    response = _attach(client, practice.slug, pdf("Checkliste"), "Checkliste.pdf", title="Die Checkliste")
    assert response.status_code == 302
    page = BeautifulSoup(client.get(f"/practices/{practice.slug}").get_data(as_text=True), "html.parser")
    item = page.select_one(".attachment-list li")
    assert item is not None
    link = item.select_one("a")
    assert link.get_text() == "Die Checkliste"
    assert "PDF" in item.get_text() and re.search(r"\d+(,\d)? (B|KB)", item.get_text())
    assert client.get(link["href"]).data == pdf("Checkliste")
    head = db.session.get(Revision, _practice(practice.slug).head_revision_id)
    assert head.number == 2
    assert head.data["attachments"][0]["name"] == "Checkliste.pdf"
    history = client.get(f"/practices/{practice.slug}/history").get_data(as_text=True)
    assert "Checkliste.pdf" in BeautifulSoup(history, "html.parser").select_one(".files-added").get_text()


def test_describe_reorder_and_remove_are_revisions(session):
    """Rule: title/note, order and removal each make a revision; the history shows the removal."""
    actor = user("tbauer")
    practice = make_practice()
    first = add_attachment(actor, practice, pdf("eins"), "eins.pdf")
    second = add_attachment(actor, practice, ooxml(DOCX), "zwei.docx", note="Vorlage")
    db.session.commit()
    assert [a.file_name for a in practice.attachments] == ["eins.pdf", "zwei.docx"]
    assert describe_attachment(actor, first, "Erste Datei", "mit Notiz")
    assert not describe_attachment(actor, first, "Erste Datei", "mit Notiz")
    assert move_attachment(actor, second, -1)
    assert not move_attachment(actor, second, -1)
    db.session.commit()
    assert [a.file_name for a in _practice(practice.slug).attachments] == ["zwei.docx", "eins.pdf"]
    remove_attachment(actor, second)
    db.session.commit()
    revisions = db.session.scalars(
        sa.select(Revision).where(Revision.practice_id == practice.id).order_by(Revision.number)
    ).all()
    assert [len(r.data.get("attachments", [])) for r in revisions] == [0, 1, 2, 2, 2, 1]
    assert revisions[3].data["attachments"][0]["title"] == "Erste Datei"
    assert [e["name"] for e in revisions[4].data["attachments"]] == ["zwei.docx", "eins.pdf"]


def test_same_file_is_stored_once(session):
    """Rule: one copy per content hash, even on two practices; twice on one practice is refused."""
    actor = user("tbauer")
    a, b = make_practice(), make_practice()
    content = pdf("gleich")
    one = add_attachment(actor, a, content, "a.pdf")
    two = add_attachment(actor, b, content, "b.pdf")
    db.session.commit()
    assert one.sha256 == two.sha256 and file_path(one.sha256).read_bytes() == content
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(actor, a, content, "nochmal.pdf")
    assert refused.value.reason == "duplicate"


def test_refused_upload_says_why_and_keeps_the_form(client, login_as):
    """Rule: a refused file is a form error (German), not a 500, and nothing is attached."""
    practice = make_practice()
    login_as("tbauer")
    hostile = b"<html><script>x</script></html>"
    response = _attach(client, practice.slug, hostile, "bericht.pdf", title="Mein Titel")
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "HTML-, SVG- und XML-Dateien" in page.select_one(".field-error").get_text()
    assert page.select_one("input[name=title]")["value"] == "Mein Titel"
    assert _practice(practice.slug).attachments == []


def test_limits_per_file_and_per_practice(app, session):
    """Rule: HUB_ATTACHMENT_MAX_MB per file and a maximum number of files per practice."""
    actor = user("tbauer")
    practice = make_practice()
    app.config.update(ATTACHMENT_MAX_MB=0.001, ATTACHMENT_MAX_PER_PRACTICE=2)
    try:
        with pytest.raises(AttachmentRefused) as refused:
            add_attachment(actor, practice, pdf("x") + b" " * 2000, "gross.pdf")
        assert refused.value.reason == "too-large"
        add_attachment(actor, practice, b"eins\n", "1.txt")
        add_attachment(actor, practice, b"zwei\n", "2.txt")
        with pytest.raises(AttachmentRefused) as refused:
            add_attachment(actor, practice, b"drei\n", "3.txt")
        assert refused.value.reason == "too-many"
    finally:
        app.config.update(ATTACHMENT_MAX_MB=25, ATTACHMENT_MAX_PER_PRACTICE=20)


def test_only_editors_may_attach(client, login_as):
    """Rule: attaching is editing: a reader gets 403, and another centre's contributor too."""
    practice = make_practice()
    login_as("jlehmann")
    assert client.get(f"/practices/{practice.slug}/attachments").status_code == 403


# --- serving --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "disposition"),
    [
        (pdf("Hallo"), "bericht.pdf", "application/pdf", "inline"),
        (ooxml(DOCX), "bericht.docx", DOCX, "attachment"),
        (b"a;b\n1;2\n", "daten.csv", "text/csv", "attachment"),
    ],
)
def test_download_headers(client, session, content, name, content_type, disposition):
    """Rule: the stored type, nosniff, a sandbox CSP; downloads as attachment (PDF may open inline)."""
    actor = user("tbauer")
    practice = make_practice()
    attachment = add_attachment(actor, practice, content, name)
    db.session.commit()
    response = client.get(f"/practices/{practice.slug}/files/{attachment.id}/{attachment.file_name}")
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith(disposition)
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.parametrize(("visibility", "status"), [("internal", "published"), ("public", "draft")])
def test_files_of_hidden_practices_are_404_for_others(client, login_as, session, visibility, status):
    """Rule: a file is served only to someone who may see the practice; others get 404."""
    actor = user("tbauer")
    practice = make_practice(visibility=visibility, status=status)
    attachment = add_attachment(actor, practice, pdf("geheim"), "geheim.pdf")
    db.session.commit()
    url = f"/practices/{practice.slug}/files/{attachment.id}/geheim.pdf"
    assert client.get(url).status_code == 404
    login_as("kwagner" if status == "draft" else "jlehmann")
    assert client.get(url).status_code == (404 if status == "draft" else 200)


def test_file_of_another_practice_is_404(client, session):
    """Rule: the id must belong to the practice in the URL (no reading files through a public page)."""
    actor = user("tbauer")
    hidden = make_practice(visibility="internal")
    public = make_practice()
    attachment = add_attachment(actor, hidden, pdf("intern"), "intern.pdf")
    db.session.commit()
    assert client.get(f"/practices/{public.slug}/files/{attachment.id}/intern.pdf").status_code == 404


# --- prune ----------------------------------------------------------------------------------------


def test_prune_removes_only_files_nothing_refers_to(app, session, tmp_path):
    """Rule: `hub uploads prune` is a dry run by default; --apply removes files no revision lists."""

    saved_dir, app.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"], str(tmp_path)
    try:
        actor = user("tbauer")
        practice = make_practice()
        kept = add_attachment(actor, practice, pdf("bleibt"), "bleibt.pdf")
        db.session.commit()
        orphan = file_path("f" * 64)
        orphan.write_bytes(b"niemand")
        old_image = Upload(
            name="a" * 32 + ".png", content_type="image/png", size=3, created_at=utcnow() - timedelta(days=2)
        )
        new_image = Upload(name="b" * 32 + ".png", content_type="image/png", size=3)
        db.session.add_all([old_image, new_image])
        db.session.commit()
        for name in (old_image.name, new_image.name):
            (tmp_path / name).write_bytes(PNG)
        runner = app.test_cli_runner()
        dry = runner.invoke(args=["uploads", "prune"])
        assert dry.exit_code == 0 and "would remove" in dry.output
        assert orphan.exists() and (tmp_path / old_image.name).exists()
        applied = runner.invoke(args=["uploads", "prune", "--apply"])
        assert applied.exit_code == 0, applied.output
        assert not orphan.exists() and not (tmp_path / old_image.name).exists()
        assert file_path(kept.sha256).exists() and (tmp_path / new_image.name).exists()
        assert db.session.scalar(sa.select(sa.func.count()).where(Upload.name == "a" * 32 + ".png")) == 0
        # removed from the practice but still listed by a revision: kept
        remove_attachment(actor, _practice(practice.slug).attachments[0])
        db.session.commit()
        runner.invoke(args=["uploads", "prune", "--apply"])
        assert file_path(kept.sha256).exists()
    finally:
        app.config["UPLOAD_DIR"] = saved_dir
