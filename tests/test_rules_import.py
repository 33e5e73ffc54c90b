"""Issue 13 rules 7 and 11: what the import refuses in practices/ and collections/, and that a refused
import writes nothing — even when everything before the broken file would have been written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.models import (
    AuditEvent,
    Centre,
    Collection,
    CollectionItem,
    ExperienceReport,
    OutboxEvent,
    Practice,
    Revision,
    Tag,
    Topic,
    User,
)
from tests.support import CONTENT

NEW_PRACTICE = (CONTENT / "practices" / "ki-grundlagen-workshop.md").read_text("utf-8")


def _state() -> str:
    """A fingerprint of everything an import may write (rows and their values)."""
    parts: list[str] = []
    for model in (Centre, Topic, Tag, User, Practice, Revision, ExperienceReport, Collection, CollectionItem,
                  OutboxEvent, AuditEvent):
        parts.append(f"{model.__name__}={db.session.scalar(sa.select(sa.func.count()).select_from(model))}")
    rows = db.session.execute(sa.select(Practice.slug, Practice.title, Practice.summary, Practice.body,
                                        Practice.head_revision_id).order_by(Practice.slug))
    parts += [repr(tuple(r)) for r in rows]
    parts += [
        repr(tuple(r)) for r in db.session.execute(sa.select(Centre.slug, Centre.name).order_by(Centre.slug))
    ]
    parts += [repr(tuple(r)) for r in db.session.execute(
        sa.select(Collection.slug, Collection.title, Collection.intro).order_by(Collection.slug))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _add_new_practice(root: Path, slug: str) -> None:
    text = NEW_PRACTICE.replace("slug: ki-grundlagen-workshop", f"slug: {slug}")
    (root / "practices" / f"{slug}.md").write_text(text, "utf-8")


# --- rule 7 --------------------------------------------------------------------------------------
REFUSED = [
    ("text file in practices", lambda r: (r / "practices" / "notizen.txt").write_text("x", "utf-8"),
     "practices/notizen.txt", "only .md files belong here"),
    ("markdown with other ending in practices", lambda r: (r / "practices" / "neu.markdown").write_text(
        NEW_PRACTICE, "utf-8"), "practices/neu.markdown", "only .md files belong here"),
    ("text file in collections", lambda r: (r / "collections" / "liesmich.txt").write_text("x", "utf-8"),
     "collections/liesmich.txt", "only .md files belong here"),
    ("sub-folder in practices", lambda r: (r / "practices" / "archiv").mkdir(),
     "practices/archiv", "sub-folders are not read"),
    ("sub-folder in collections", lambda r: (r / "collections" / "alt").mkdir(),
     "collections/alt", "sub-folders are not read"),
    ("sub-folder with a practice in it", lambda r: ((r / "practices" / "2024").mkdir(),
     (r / "practices" / "2024" / "neu.md").write_text(NEW_PRACTICE.replace(
         "slug: ki-grundlagen-workshop", "slug: im-unterordner"), "utf-8")),
     "practices/2024", "sub-folders are not read"),
]


@pytest.mark.parametrize(("change", "file", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_only_md_files_and_no_sub_folders_in_practices_and_collections(
    session, tmp_content, change, file, message
):
    """Pins issue-13 rule 7: a file other than ``.md`` or a sub-folder in ``practices/`` or
    ``collections/`` refuses the import, naming it; a new practice beside it is not written."""
    change(tmp_content)
    _add_new_practice(tmp_content, "daneben-neu")
    before = _state()
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    named = [p for p in caught.value.problems if p.file == file]
    assert named and message in named[0].message, [str(p) for p in caught.value.problems]
    assert _state() == before


# --- rule 11 -------------------------------------------------------------------------------------
def _change_everything(root: Path) -> None:
    """Every practice and collection file changed, a centre renamed, and three new practices."""
    for path in sorted((root / "practices").glob("*.md")):
        text = path.read_text("utf-8")
        path.write_text(text.replace("\n---\n", "\n---\nGeänderter erster Absatz.\n\n", 1), "utf-8")
    for path in sorted((root / "collections").glob("*.md")):
        text = path.read_text("utf-8")
        path.write_text(text.replace("\n---\n", "\n---\nNeue Einleitung.\n\n", 1), "utf-8")
    centres = root / "centres.yml"
    centres.write_text(
        centres.read_text("utf-8").replace("Zukunftszentrum Sachsen\n", "ZZ Sachsen\n"), "utf-8"
    )
    for slug in ("aaa-ganz-neu", "mmm-ganz-neu", "yyy-ganz-neu"):
        _add_new_practice(root, slug)


def _broken_last_practice(root: Path) -> str:
    (root / "practices" / "zzz-kaputt.md").write_text("---\ntitle: Nur ein Titel\n---\nText\n", "utf-8")
    return "practices/zzz-kaputt.md"


def _broken_last_collection(root: Path) -> str:
    (root / "collections" / "zzz-kaputt.md").write_text(
        "---\ntitle: Kaputt\nvisibility: public\npractices: [gibt-es-nicht]\n---\n", "utf-8"
    )
    return "collections/zzz-kaputt.md"


def _broken_uploads_meta(root: Path) -> str:
    (root / "uploads.yml").write_text("- {file: fehlt.png}\n", "utf-8")
    return "uploads.yml"


LAST: list[tuple[str, Callable[[Path], str]]] = [
    ("last practice", _broken_last_practice),
    ("last collection", _broken_last_collection),
    ("uploads.yml, read last", _broken_uploads_meta),
]


@pytest.mark.parametrize("broken", [b[1] for b in LAST], ids=[b[0] for b in LAST])
def test_refused_import_writes_nothing_when_the_broken_file_comes_last(session, tmp_content, broken):
    """Pins issue-13 rule 11: every practice and collection file changed, new practices and a renamed
    centre before it — the one broken file read last refuses the import and not one row changes
    (no practice, revision, collection, centre, outbox or audit row)."""
    _change_everything(tmp_content)
    file = broken(tmp_content)
    before = _state()
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert {p.file for p in caught.value.problems} == {file}, [str(p) for p in caught.value.problems]
    assert _state() == before
    # the same folder without the broken file would have written all of it
    (tmp_content / file).unlink()
    report = import_folder(tmp_content)
    assert report.practices_created == 3 and report.practices_updated == len(
        list(CONTENT.glob("practices/*.md"))
    )
    assert _state() != before
