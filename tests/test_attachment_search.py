"""Search inside attached files: text extracted after the commit in a limited child process,
stored on the row, indexed in a field of its own ranked below the write-up's own text."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.attachments.extract import extract_file
from hub.attachments.files import CSV, DOCX, ODT, PDF, PPTX, XLSX
from hub.attachments.operations import add_attachment, file_path, remove_attachment
from hub.extensions import db
from hub.models import Attachment
from hub.search.sync import get_index
from tests.factories import make_practice, user
from tests.sample_files import (
    docx,
    encrypted_office,
    encrypted_pdf,
    looping_pdf,
    nested_pdf,
    odt,
    pdf,
    pdf_bomb,
    pptx,
    xlsx,
    zip_bomb,
)
from tests.search_helpers import run, slugs
from tests.support import csrf_token

SENTENCE = "Die Quarzsandstrahlanlage wurde im Frühjahr gewartet"


def _attach(practice, content: bytes, name: str) -> Attachment:
    attachment = add_attachment(user("tbauer"), practice, content, name)
    db.session.commit()  # extraction runs after the commit (in the request, in tests)
    return db.session.get(Attachment, attachment.id)


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (lambda: pdf(SENTENCE), PDF),
        (lambda: docx("Einleitung.", SENTENCE), DOCX),
        (lambda: xlsx(("Prüfpunkt", SENTENCE)), XLSX),
        (lambda: pptx(SENTENCE), PPTX),
        (lambda: odt(SENTENCE), ODT),
        (lambda: f"Datum;Text\n2025-03-01;{SENTENCE}\n".encode(), CSV),
    ],
)
def test_text_is_extracted_from_every_document_type(app, tmp_path, make, content_type):
    """Rule: PDF, DOCX, XLSX, PPTX, ODT and CSV give their text (no external programs)."""
    path = tmp_path / "datei"
    path.write_bytes(make())
    result = extract_file(path, content_type)
    assert result.state == "ok" and SENTENCE in " ".join(result.text.split())


def test_a_sentence_only_in_a_file_finds_the_practice_and_says_where(client, session):
    """Rule: a hit that is only in a file shows the snippet and "im Anhang: <name>"."""
    practice = make_practice()
    attachment = _attach(practice, pdf(SENTENCE), "Wartungsbericht.pdf")
    assert attachment.text_state == "ok" and "Quarzsandstrahlanlage" in attachment.text
    assert slugs(run("Quarzsandstrahlanlage")) == [practice.slug]
    page = BeautifulSoup(client.get("/search?q=Quarzsandstrahlanlage").get_data(as_text=True), "html.parser")
    hit = page.select_one(".search-hit .snippet")
    assert "<mark>Quarzsandstrahlanlage</mark>" in str(hit)
    assert "im Anhang: Wartungsbericht.pdf" in hit.get_text()


def test_file_text_ranks_below_the_write_up_text(session):
    """Rule: the files field weighs less than title, summary and body."""
    in_file = make_practice(title="Erste Praxis")
    in_body = make_practice(title="Zweite Praxis", body="Die Quarzsandstrahlanlage im Text.")
    _attach(in_file, pdf(SENTENCE), "bericht.pdf")
    assert slugs(run("Quarzsandstrahlanlage")) == [in_body.slug, in_file.slug]


def test_removing_the_file_removes_its_words_from_search(session):
    """Rule: the index follows the attachment rows (outbox rows for the practice)."""
    practice = make_practice()
    attachment = _attach(practice, pdf(SENTENCE), "bericht.pdf")
    remove_attachment(user("tbauer"), attachment)
    db.session.commit()
    assert slugs(run("Quarzsandstrahlanlage")) == []


def test_reindexing_never_reads_the_file_again(app, session):
    """Rule: the extracted text is stored on the row; a rebuilt index needs no file."""
    practice = make_practice()
    attachment = _attach(practice, pdf(SENTENCE), "bericht.pdf")
    saved = file_path(attachment.sha256).read_bytes()
    file_path(attachment.sha256).unlink()
    try:
        get_index().rebuild(db.session)
        assert slugs(run("Quarzsandstrahlanlage")) == [practice.slug]
    finally:
        file_path(attachment.sha256).write_bytes(saved)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (encrypted_pdf, "geheim.pdf"),
        (encrypted_office, "geheim.docx"),
        (lambda: pdf(SENTENCE)[:60], "abgeschnitten.pdf"),
        (nested_pdf, "verschachtelt.pdf"),
        (looping_pdf, "endlos.pdf"),
        (lambda: b"%PDF-1.7\n" + b"\x00\xff" * 5000, "kaputt.pdf"),
    ],
)
def test_unreadable_files_are_stored_and_marked(client, session, make, name):
    """Rule: encrypted, truncated, nested and malformed files are attached and marked
    "Text nicht lesbar" — no 500, no hung worker."""
    practice = make_practice()
    attachment = _attach(practice, make(), name)
    assert attachment.text_state == "unreadable" and attachment.text is None
    page = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert "Text nicht lesbar" in BeautifulSoup(page, "html.parser").select_one(".attachment-list").get_text()


def test_a_long_file_is_indexed_from_its_beginning_and_says_so(app, client, session):
    """Rule: extraction is bounded by pages and characters; the page says only the start is searchable."""
    app.config["ATTACHMENT_TEXT_PAGES"] = 2
    try:
        practice = make_practice()
        attachment = _attach(practice, pdf("Seite eins", "Seite zwei", "Quarzsandstrahlanlage"), "lang.pdf")
    finally:
        app.config["ATTACHMENT_TEXT_PAGES"] = 300
    assert attachment.text_state == "partial" and "zwei" in attachment.text
    assert "Quarzsandstrahlanlage" not in attachment.text
    page = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert "nur der Anfang durchsuchbar" in page


def test_characters_are_bounded(app, session):
    """Rule: at most ATTACHMENT_TEXT_CHARS characters per file are stored."""
    app.config["ATTACHMENT_TEXT_CHARS"] = 50
    try:
        practice = make_practice()
        attachment = _attach(practice, ("Wort " * 1000).encode(), "lang.txt")
    finally:
        app.config["ATTACHMENT_TEXT_CHARS"] = 200_000
    assert attachment.text_state == "partial" and len(attachment.text) == 50
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id)).where(Attachment.id == attachment.id)) == 1


def test_a_pdf_bomb_is_read_within_bounds(app, session):
    """Rule: a content stream inflating to 100 MB neither hangs nor floods the index."""
    practice = make_practice()
    started = time.monotonic()
    attachment = _attach(practice, pdf_bomb(100), "bombe.pdf")
    assert time.monotonic() - started < 15
    assert attachment.text_state in ("ok", "partial", "unreadable")
    assert len(attachment.text or "") <= app.config["ATTACHMENT_TEXT_CHARS"]


def test_zip_bomb_on_the_page_is_a_message_not_a_500(client, login_as):
    """Rule: a ZIP bomb disguised as DOCX, uploaded through the page, is refused with a message."""
    practice = make_practice()
    login_as("tbauer")
    token = csrf_token(client, f"/practices/{practice.slug}/attachments")
    answer = client.post(
        f"/practices/{practice.slug}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(zip_bomb(DOCX)), "bericht.docx")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "entpacken" in BeautifulSoup(answer.get_data(as_text=True), "html.parser").select_one(".field-error").get_text().lower()



def test_a_word_only_in_a_file_is_no_typo(session):
    """Rule: a word the reader finds in an attached file is known: no "Meinten Sie …?" towards a
    similar word of the write-ups (and no spelling search for it, the cost of an unknown word)."""
    make_practice(title="Maschinen einweisen", body="Die Betriebsanleitung der Presse liegt aus.")
    with_file = make_practice(title="Arbeitsschutz im Betrieb")
    _attach(with_file, pdf("Die Betriebsanweisung hängt an der Maschine."), "aushang.pdf")
    found = run("Betriebsanweisung")
    assert slugs(found)[0] == with_file.slug  # the file's word itself first (typo variants after it)
    assert found.suggestion is None
