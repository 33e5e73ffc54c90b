"""`hub export`: the whole hub as a folder; export → import into an empty hub → export is identical."""

from __future__ import annotations

import filecmp
import gc
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.collections.operations import set_saved_search
from hub.exchange import exporter
from hub.exchange.exporter import ExportError, export_folder
from hub.exchange.importer import import_folder
from hub.exchange.reader import PRACTICE_KEYS, InvalidContent
from hub.extensions import db
from hub.models import Collection, Practice, Upload
from hub.practices.data import Experience, Outcome
from hub.practices.operations import replace_experiences
from hub.saved_searches.criteria import SavedSearch
from hub.uploads.operations import save_image
from tests.factories import make_practice, user

TRICKY_TEXTS = [
    "Doppelpunkt: danach, Komma, [Klammern] und {geschweifte}",
    "Zeile eins\nZeile zwei\n\nAbsatz – mit „Anführungszeichen“ und 'einfachen'",
    "# kein Kommentar",
    "yes",
    "2025-01-01",
    "- kein Listenpunkt",
    "Prozent % und Und & und Stern * und Ausrufe!",
    'Backslash \\ und "doppelte" Anführung',
]


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _same_tree(left: Path, right: Path) -> None:
    assert _files(left) == _files(right)
    for name in _files(left):
        assert filecmp.cmp(left / name, right / name, shallow=False), name


def _cli(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output


def test_round_trip_is_byte_identical(fresh_app_factory, tmp_path):
    source, target = fresh_app_factory("source"), fresh_app_factory("target")
    _cli(source, "init")
    with source.test_request_context():
        for i, text in enumerate(TRICKY_TEXTS):
            practice = make_practice(
                title=f"Knifflig {i}: {text.splitlines()[0]}",
                summary=text,
                body=f"## Abschnitt\n\n{text}\n",
                tags=["zeichen-test", "ümlaut-ß"],
                outcome=Outcome("partly", __import__("decimal").Decimal("2.5"), 900),
                published=date(2024, 5, 1),
            )
            replace_experiences(
                practice, [Experience("zz-thueringen", "C", "micro", "worked", date(2025, 1, 2), text)]
            )
        db.session.commit()
        practices = db.session.scalar(sa.select(sa.func.count(Practice.id)))
    first, second = tmp_path / "first", tmp_path / "second"
    _cli(source, "export", str(first))
    assert len(list((first / "practices").glob("*.md"))) == practices
    _cli(target, "db", "upgrade")
    _cli(target, "import", str(first))
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Practice.id))) == practices
    _cli(target, "export", str(second))
    _same_tree(first, second)


def test_export_of_the_demo_corpus_imports_back_without_changes(session, tmp_path):
    export_folder(tmp_path / "out")
    report = import_folder(tmp_path / "out")
    assert (report.practices_created, report.practices_updated) == (0, 0)


def test_export_keeps_drafts_experiences_and_users_without_passwords(session, tmp_path):
    make_practice(title="Noch ein Entwurf", slug="noch-ein-entwurf", status="draft", visibility="internal")
    export_folder(tmp_path / "out")
    draft = (tmp_path / "out" / "practices" / "noch-ein-entwurf.md").read_text("utf-8")
    assert "status: draft" in draft and "visibility: internal" in draft
    users = (tmp_path / "out" / "users.yml").read_text("utf-8")
    assert "mkoch" in users and "password" not in users and "pbkdf2" not in users and "scrypt" not in users
    tischlerei = (tmp_path / "out" / "practices" / "ki-angebote-tischlerei.md").read_text("utf-8")
    assert "experiences:\n  - {centre: " in tischlerei
    front = tischlerei.split("---\n")[1]
    keys = [line.split(":")[0] for line in front.splitlines() if line and not line.startswith(" ")]

    assert keys == [k for k in PRACTICE_KEYS if k in keys]


def test_export_refuses_a_non_empty_folder_unless_replacing(session, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("wichtig", "utf-8")
    with pytest.raises(ExportError):
        export_folder(target)
    export_folder(target, replace=True)
    assert (target / "notes.txt").read_text("utf-8") == "wichtig"
    assert (target / "practices" / "ki-angebote-tischlerei.md").exists()


def test_uploaded_images_travel_with_the_export(fresh_app_factory, tmp_path):
    source, target = fresh_app_factory("source"), fresh_app_factory("target")
    _cli(source, "init")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    with source.test_request_context():
        upload = save_image(user("tbauer"), png, "baustelle.png")
        make_practice(title="Mit Bild", body=f"![Baustelle](/uploads/{upload.name})")
        db.session.commit()
        name = upload.name
    first, second = tmp_path / "first", tmp_path / "second"
    _cli(source, "export", str(first))
    assert (first / "uploads" / name).read_bytes() == png
    _cli(target, "db", "upgrade")
    _cli(target, "import", str(first))
    assert (Path(target.config["UPLOAD_DIR"]) / name).read_bytes() == png
    assert Path(target.config["UPLOAD_DIR"]) != Path(source.config["UPLOAD_DIR"])
    _cli(target, "export", str(second))
    _same_tree(first, second)
    entry = (first / "uploads.yml").read_text("utf-8")
    assert entry.startswith(f"- {{file: {name}, original_name: baustelle.png, uploader: tbauer, uploaded: '")
    with target.app_context():
        copied = db.session.scalars(sa.select(Upload).where(Upload.name == name)).one()
        assert (copied.original_name, copied.uploader.username, copied.size) == (
            "baustelle.png",
            "tbauer",
            len(png),
        )
    with source.app_context():
        original = db.session.scalars(sa.select(Upload).where(Upload.name == name)).one()
        assert copied.created_at == original.created_at  # to the microsecond


def test_hub_without_uploads_writes_no_uploads_yml(session, tmp_path):
    export_folder(tmp_path / "out")
    assert not (tmp_path / "out" / "uploads.yml").exists()
    assert not (tmp_path / "out" / "uploads").exists()


def test_import_checks_uploads_yml(session, tmp_content, app):
    good = "b" * 32 + ".png"
    (tmp_content / "uploads").mkdir()
    (tmp_content / "uploads" / good).write_bytes(b"\x89PNG\r\n\x1a\n0000")
    (tmp_content / "uploads.yml").write_text(
        f"- {{file: {good}, uploader: niemand, uploaded: gestern}}\n- {{file: {'c' * 32}.png, uploaded: x}}\n",
        "utf-8",
    )
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert {(p.file, p.field) for p in caught.value.problems} == {
        ("uploads.yml", "[0].uploader"),
        ("uploads.yml", "[0].uploaded"),
        ("uploads.yml", "[1].file"),
    }
    assert not (Path(app.config["UPLOAD_DIR"]) / good).exists()


def test_saved_search_round_trip_is_byte_identical(fresh_app_factory, tmp_path):
    source, target = fresh_app_factory("source"), fresh_app_factory("target")
    _cli(source, "init")
    saved = SavedSearch.of(
        'KI "im Handwerk" -Pflege', {"tag": ["ümlaut-ß"], "sector": ["F", "C"], "outcome": ["worked"]}
    )
    with source.test_request_context():
        collection = db.session.scalars(
            sa.select(Collection).where(Collection.slug == "digitale-pflege")
        ).one()
        set_saved_search(user("mkoch"), collection, saved)
        db.session.commit()
    first, second = tmp_path / "first", tmp_path / "second"
    _cli(source, "export", str(first))
    text = (first / "collections" / "digitale-pflege.md").read_text("utf-8")
    lines = text.split("\n")
    after = next(i for i, line in enumerate(lines) if line.startswith("practices: [")) + 1
    assert lines[after] == (
        """search: {q: KI "im Handwerk" -Pflege, sector: [C, F], outcome: [worked], tag: [ümlaut-ß]}"""
    )
    _cli(target, "db", "upgrade")
    _cli(target, "import", str(first))
    with target.app_context():
        copied = db.session.scalars(sa.select(Collection).where(Collection.slug == "digitale-pflege")).one()
        assert SavedSearch.stored(copied.search_query, copied.search_filters) == saved
    _cli(target, "export", str(second))
    _same_tree(first, second)


@pytest.mark.parametrize(
    ("search", "field", "message"),
    [
        ("{q: KI, branche: [C]}", "search.branche", "unknown key"),
        ("{sector: [Z]}", "search.sector", "'Z' is not a known value"),
        ("{topic: [gibt-es-nicht], q: KI}", "search.topic", "'gibt-es-nicht' is not a known value"),
        ("{size: small}", "search.size", "must be a list"),
        ("{}", "search", "needs a query"),
        ("[C]", "search", "expected a mapping"),
    ],
)
def test_import_refuses_a_bad_saved_search_and_writes_nothing(session, tmp_content, search, field, message):
    path = tmp_content / "collections" / "tourismus-gastgewerbe.md"
    text = path.read_text("utf-8").replace("\n---\n", f"\nsearch: {search}\n---\n", 1)
    path.write_text(text.replace("title: Tourismus", "title: Geändert"), "utf-8")
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert [(p.file, p.field) for p in caught.value.problems] == [
        ("collections/tourismus-gastgewerbe.md", field)
    ]
    assert message in caught.value.problems[0].message
    collection = db.session.scalars(
        sa.select(Collection).where(Collection.slug == "tourismus-gastgewerbe")
    ).one()
    assert (collection.title.split()[0], collection.search_query) == ("Tourismus", None)


def test_import_refuses_a_disguised_upload_and_writes_nothing(session, tmp_content, app):
    (tmp_content / "uploads").mkdir()
    (tmp_content / "uploads" / ("a" * 32 + ".png")).write_bytes(b"<script>alert(1)</script>")
    good = "b" * 32 + ".png"
    (tmp_content / "uploads" / good).write_bytes(b"\x89PNG\r\n\x1a\n0000")
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert any(p.file == "uploads/" + "a" * 32 + ".png" for p in caught.value.problems)
    assert not (Path(app.config["UPLOAD_DIR"]) / good).exists()


BODY_CHARS = 80_000  # per write-up: far more than what an export keeps of each between batches


def _peak_of_an_export(target: Path) -> int:
    db.session.expunge_all()  # nothing of the writes before (or of a previous export) still held
    gc.collect()
    tracemalloc.start()
    try:
        export_folder(target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_exports_memory_does_not_grow_with_the_write_ups(app, session, tmp_path, monkeypatch):
    """Rule: an export loads the practices a batch at a time and lets a written batch go, so a hub of
    50,000 write-ups exports in the memory of a few hundred."""
    monkeypatch.setattr(exporter, "BATCH", 2)
    body = "Ein langer Absatz über die Praxis. " * (BODY_CHARS // 35)

    def add(count: int) -> None:
        for _ in range(count):
            make_practice(body=body)

    add(10)
    export_folder(tmp_path / "warm")  # caches filled once (compiled statements, templates of YAML)
    small = _peak_of_an_export(tmp_path / "small")
    add(60)
    large = _peak_of_an_export(tmp_path / "large")
    assert len(list((tmp_path / "large" / "practices").iterdir())) == len(
        list((tmp_path / "small" / "practices").iterdir())
    ) + 60
    # 60 more write-ups of ≥ 80,000 characters (≥ 4.8 MB of text); held, the peak would grow by that
    assert large - small < 60 * BODY_CHARS / 4, (small, large)  # a few batches (and their garbage)
