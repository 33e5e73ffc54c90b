"""A write-up from a Word file: "Aus Word-Datei übernehmen" on /practices/new and
`hub draft-from-files` (all or nothing, the file name in every error)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.attachments.files import DOCX, ODT
from hub.attachments.word import convert
from hub.extensions import db
from hub.models import Practice, Upload
from tests.sample_files import docx, odt, pdf, word_report
from tests.support import csrf_token, fields_of


def test_docx_becomes_markdown():
    """Rule: headings, paragraphs, bold/italic, lists, tables, links and images become Markdown;
    the title is the first heading; text that looks like Markdown stays text."""
    converted = convert(word_report(), DOCX, lambda blob, name: f"/uploads/{name}")
    assert converted.title == "Digitale Zeiterfassung im Handwerk"
    body = converted.body
    assert "Ein Absatz mit **fetter** und *kursiver* Schrift sowie \\*Sternchen\\*." in body
    assert "## Ablauf" in body
    assert "- Erster Schritt\n- Zweiter Schritt\n1. Auswerten" in body
    assert "| Kosten | Nutzen |\n| --- | --- |\n| 2.500 € | hoch \\| sehr |" in body
    assert "Mehr unter [der Seite](https://example.org/zeit)" in body
    assert "![image1](/uploads/image1.png)" in body
    assert "Digitale Zeiterfassung" not in body  # the title heading is not repeated


def test_odt_becomes_markdown_and_without_heading_takes_the_file_title():
    """Rule: ODT works too; without a heading the title is the file's title property or name."""
    converted = convert(odt("Absatz eins", "Absatz zwei"), ODT, lambda blob, name: None)
    assert converted.title == "Bericht" and converted.body == "Absatz eins\n\nAbsatz zwei\n"
    untitled = convert(docx("Nur Text")[:], DOCX, lambda b, n: None, "Jahresbericht 2025.docx")
    assert untitled.title == "Bericht"  # docx() starts with a heading "Bericht"


def test_take_over_from_word_opens_the_editor_and_attaches_the_original(client, login_as):
    """Rule: on /practices/new the Word file fills the editor; saving attaches the original."""
    login_as("tbauer")
    token = csrf_token(client, "/practices/new")
    response = client.post(
        "/practices/new/from-word",
        data={"csrf_token": token, "document": (io.BytesIO(word_report()), "Zeiterfassung.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("#title")["value"] == "Digitale Zeiterfassung im Handwerk"
    body = page.select_one("#body").get_text()
    assert "**fetter**" in body and "| Kosten | Nutzen |" in body
    image = db.session.scalars(sa.select(Upload).order_by(Upload.id.desc())).first()
    assert f"/uploads/{image.name}" in body
    assert "Zeiterfassung.docx" in page.select_one(".notice").get_text()
    fields = fields_of(page)
    fields.update(summary="Zeiterfassung per App.", sectors=["F"], sizes=["small"], topics=["prozessdigitalisierung"], kind="case-study")
    saved = client.post(page.select_one("form.editor")["action"], data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    practice = db.session.scalars(sa.select(Practice).order_by(Practice.id.desc())).first()
    assert practice.title == "Digitale Zeiterfassung im Handwerk"
    assert [a.file_name for a in practice.attachments] == ["Zeiterfassung.docx"]


def test_a_forged_source_token_attaches_nothing(client, login_as):
    """Rule: only a token the hub issued to this user attaches a stored file (no reading others' files)."""
    login_as("tbauer")
    page = BeautifulSoup(client.get("/practices/new").get_data(as_text=True), "html.parser")
    fields = fields_of(page)
    fields.update(
        title="Mit gefälschter Datei", summary="x", sectors=["F"], sizes=["small"],
        topics=["prozessdigitalisierung"], kind="case-study", source_file='["1", "' + "a" * 64 + '", "x.pdf"]',
    )
    assert client.post("/practices/new", data=fields).status_code == 302
    practice = db.session.scalars(sa.select(Practice).where(Practice.title == "Mit gefälschter Datei")).one()
    assert practice.attachments == []


def test_take_over_refuses_other_files_with_a_message(client, login_as):
    """Rule: a PDF (or anything but DOCX/ODT) is refused with a clear message, no 500."""
    login_as("tbauer")
    token = csrf_token(client, "/practices/new")
    response = client.post(
        "/practices/new/from-word",
        data={"csrf_token": token, "document": (io.BytesIO(pdf("x")), "bericht.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Nur Word" in BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#word-error").get_text()


def test_draft_from_files_is_all_or_nothing(app, session, tmp_path):
    """Rule: `hub draft-from-files` makes a draft per file with the original attached — or, when
    one file is bad, nothing at all, naming that file."""
    (tmp_path / "a.docx").write_bytes(word_report())
    (tmp_path / "b.odt").write_bytes(odt("Zweiter Bericht"))
    runner = app.test_cli_runner()
    before = db.session.scalar(sa.select(sa.func.count(Practice.id)))
    (tmp_path / "kaputt.docx").write_bytes(b"<html>nein</html>")
    failed = runner.invoke(args=["draft-from-files", str(tmp_path), "--centre", "zz-sachsen", "--author", "tbauer"])
    assert failed.exit_code == 1 and "kaputt.docx" in failed.output
    assert db.session.scalar(sa.select(sa.func.count(Practice.id))) == before
    (tmp_path / "kaputt.docx").unlink()
    done = runner.invoke(args=["draft-from-files", str(tmp_path), "--centre", "zz-sachsen", "--author", "tbauer"])
    assert done.exit_code == 0, done.output
    drafts = db.session.scalars(sa.select(Practice).order_by(Practice.id.desc()).limit(2)).all()
    assert {p.title for p in drafts} == {"Digitale Zeiterfassung im Handwerk", "Bericht"}
    assert all(p.status.value == "draft" and len(p.attachments) == 1 for p in drafts)

