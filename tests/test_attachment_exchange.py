"""Attachments travel with export/import (attachments.yml + attachments/<sha256>, byte-identical
round trip) and with backup/restore."""

from __future__ import annotations

import filecmp
import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.attachments.operations import add_attachment, describe_attachment
from hub.exchange.exporter import export_folder
from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.models import Attachment, Practice
from tests.factories import make_practice, user
from tests.sample_files import docx, pdf
from tests.support import create_postgres_schema, make_app


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _cli(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_attachments_round_trip_byte_identical(fresh_app_factory, tmp_path):
    """Rule: export writes attachments.yml and attachments/<sha256>; importing it into an empty hub
    and exporting again gives the same bytes; files, order, titles, notes and uploaders survive."""
    source, target = fresh_app_factory("source"), fresh_app_factory("target")
    _cli(source, "init")
    shared = pdf("Gemeinsame Checkliste")
    with source.test_request_context():
        actor = user("tbauer")
        one = make_practice(title="Mit Dateien")
        two = make_practice(title="Auch mit Datei")
        first = add_attachment(actor, one, docx("Bericht"), "Bericht: Teil 1.docx", note="Zeile eins\nZeile zwei")
        add_attachment(actor, one, shared, "Checkliste.pdf", title="Die Checkliste")
        add_attachment(actor, two, shared, "gleich.pdf")
        describe_attachment(actor, first, "Der Bericht", "Zeile eins\nZeile zwei")
        db.session.commit()
        slugs = (one.slug, two.slug)
    out, again = tmp_path / "out", tmp_path / "again"
    _cli(source, "export", str(out))
    listed = (out / "attachments.yml").read_text("utf-8")
    assert listed.index("Bericht: Teil 1.docx") < listed.index("Checkliste.pdf")
    assert len(list((out / "attachments").iterdir())) == 2  # the shared PDF once
    _cli(target, "db", "upgrade")
    _cli(target, "import", str(out))
    _cli(target, "export", str(again))
    assert _files(out) == _files(again)
    for name in _files(out):
        assert filecmp.cmp(out / name, again / name, shallow=False), name
    with target.app_context():
        practice = db.session.scalars(sa.select(Practice).where(Practice.slug == slugs[0])).one()
        assert [(a.title, a.uploader.username) for a in practice.attachments] == [
            ("Der Bericht", "tbauer"),
            ("Die Checkliste", "tbauer"),
        ]
        assert practice.attachments[0].note == "Zeile eins\nZeile zwei"
        assert practice.head.data["attachments"][1]["name"] == "Checkliste.pdf"
    _cli(target, "import", str(out))  # the same folder again changes nothing
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 3


def _export_with_attachment(session, tmp_path: Path) -> Path:
    practice = make_practice()
    add_attachment(user("tbauer"), practice, pdf("Inhalt"), "inhalt.pdf")
    db.session.commit()
    folder = tmp_path / "out"
    export_folder(folder)
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f, sha: (f / "attachments" / sha).write_bytes(b"anders"), "does not have the SHA-256"),
        (lambda f, sha: (f / "attachments" / sha).unlink(), "is not a file in attachments/"),
        (
            lambda f, sha: (f / "attachments.yml").write_text(
                (f / "attachments.yml").read_text("utf-8").replace("name: inhalt.pdf", "name: ../inhalt.pdf"),
                "utf-8",
            ),
            "is not a file name of the hub",
        ),
        (
            lambda f, sha: (f / "attachments.yml").write_text(
                (f / "attachments.yml").read_text("utf-8").replace("practice: ", "practice: gibt-es-nicht-"),
                "utf-8",
            ),
            "not a practice",
        ),
    ],
)
def test_import_checks_attachments_and_writes_nothing(session, tmp_path, change, message):
    """Rule: a file that is not what attachments.yml says is refused by file and field, nothing imported."""
    folder = _export_with_attachment(session, tmp_path)
    sha = next((folder / "attachments").iterdir()).name
    change(folder, sha)
    before = db.session.scalar(sa.select(sa.func.count(Attachment.id)))
    with pytest.raises(InvalidContent) as refused:
        import_folder(folder)
    assert "attachments.yml" in str(refused.value) and message in str(refused.value)
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == before


def test_html_in_the_attachments_folder_is_refused(session, tmp_path):
    """Rule: the import decides the type by content as the upload does (markup renamed is refused)."""
    folder = _export_with_attachment(session, tmp_path)

    html = b"<html><script>alert(1)</script></html>"
    sha = hashlib.sha256(html).hexdigest()
    old = next((folder / "attachments").iterdir()).name
    (folder / "attachments" / sha).write_bytes(html)
    text = (folder / "attachments.yml").read_text("utf-8").replace(old, sha)
    (folder / "attachments.yml").write_text(text, "utf-8")
    with pytest.raises(InvalidContent) as refused:
        import_folder(folder)
    assert "not a file the hub accepts (markup)" in str(refused.value)


def test_backup_and_restore_keep_attachments(fresh_app, tmp_path, backend):
    """Rule: a backup holds the attachment rows and their files; a restore brings both back."""
    _cli(fresh_app, "init")
    content = pdf("Gesichert")
    with fresh_app.test_request_context():
        practice = make_practice()
        attachment = add_attachment(user("tbauer"), practice, content, "gesichert.pdf")
        db.session.commit()
        sha, slug = attachment.sha256, practice.slug
    _cli(fresh_app, "backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["attachments"] == 1
    if backend.name == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    else:
        url, drop = create_postgres_schema()
    restored = make_app(url, tmp_path / "restored-instance")
    try:
        _cli(restored, "restore", str(tmp_path / "backup"))
        assert (Path(restored.config["UPLOAD_DIR"]) / "files" / sha).read_bytes() == content
        with restored.app_context():
            practice = db.session.scalars(sa.select(Practice).where(Practice.slug == slug)).one()
            assert [a.file_name for a in practice.attachments] == ["gesichert.pdf"]
            assert practice.attachments[0].text_state == "ok"
    finally:
        with restored.app_context():
            db.engine.dispose()
        if drop:
            drop()
