"""`hub import`: a valid folder loads; every kind of bad input names file and field and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.models import (
    Centre,
    Collection,
    ExperienceReport,
    OutboxEvent,
    Practice,
    PracticeLink,
    Revision,
    Sector,
    Tag,
    TagAlias,
    User,
)
from tests.support import CONTENT


def _counts() -> dict[str, int]:
    models = (Centre, Practice, Revision, PracticeLink, ExperienceReport, Collection, User, Tag, OutboxEvent)
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}


def _practice_files() -> list[Path]:
    return sorted((CONTENT / "practices").glob("*.md"))


def test_demo_corpus_is_loaded_completely(session):
    assert db.session.scalar(sa.select(sa.func.count(Practice.id))) == len(_practice_files())
    assert db.session.scalar(sa.select(sa.func.count(Sector.code))) == 21
    assert db.session.scalar(sa.select(sa.func.count(Centre.id))) >= 7
    tischlerei = db.session.scalars(
        sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")
    ).one()
    assert tischlerei.head is not None and tischlerei.head.number == 1
    assert tischlerei.head.data["title"] == tischlerei.title
    assert tischlerei.head.body == tischlerei.body


def test_reimport_is_idempotent(session):
    before = _counts()
    report = import_folder(CONTENT)
    assert report.practices_created == 0 and report.practices_updated == 0
    assert _counts() == before


def test_reimport_of_a_changed_file_updates_and_keeps_history(session, tmp_content):
    path = tmp_content / "practices" / "ki-angebote-tischlerei.md"
    path.write_text(path.read_text("utf-8").replace("\n---\n", "\n---\nNeuer erster Absatz.\n\n", 1), "utf-8")
    report = import_folder(tmp_content)
    assert (report.practices_created, report.practices_updated) == (0, 1)
    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")).one()
    assert practice.body.startswith("Neuer erster Absatz.")
    assert [r.number for r in practice.revisions] == [1, 2]
    assert practice.head.number == 2 and not practice.revisions[0].body.startswith("Neuer")
    pending = db.session.scalars(sa.select(OutboxEvent).where(OutboxEvent.practice_id == practice.id)).all()
    assert pending, "a change must leave an outbox row for the search index"


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


BAD_INPUTS = [
    # (file, old text, new text, expected message part)
    (
        "practices/ki-angebote-tischlerei.md",
        "sectors: [",
        "sectors: [Z, ",
        "practices/ki-angebote-tischlerei.md: sectors: 'Z' is not a WZ 2008 section",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "centre: zz-thueringen",
        "centre: zz-atlantis",
        "practices/ki-angebote-tischlerei.md: centre: 'zz-atlantis' is not a known centre",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "kind: ",
        "kind: roman\nx_kind: ",
        "practices/ki-angebote-tischlerei.md: x_kind: unknown key",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "status: published",
        "status: finished",
        "practices/ki-angebote-tischlerei.md: status: 'finished' is not one of",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "updated: 2025-05-02",
        "updated: 2025-02-30",
        "practices/ki-angebote-tischlerei.md: updated: '2025-02-30' is not a date",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "updated: 2025-05-02",
        "updated: 2025-05-02\nupdated: 2025-06-01",
        "practices/ki-angebote-tischlerei.md: front matter: "
        "invalid YAML (line 17, column 1): duplicate key 'updated'",
    ),
    (
        "practices/ki-angebote-tischlerei.md",
        "title: ",
        "title: [unclosed\nfoo: ",
        "practices/ki-angebote-tischlerei.md: front matter: invalid YAML",
    ),
    (
        "taxonomy.yml",
        "  - {code: solo",
        "  - {code: huge, name: Riesig}\n  - {code: solo",
        "taxonomy.yml: sizes[0].code: 'huge' is not a company size",
    ),
    (
        "centres.yml",
        "state: DE-TH",
        "state: Thüringen",
        "centres.yml: [4].state: 'Thüringen' is not a valid ISO 3166-2 code",
    ),
    ("users.yml", "role: reader", "role: emperor", "users.yml: [0].role: 'emperor' is not one of"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), BAD_INPUTS, ids=[b[3].split(": ")[1] for b in BAD_INPUTS]
)
def test_bad_input_is_named_and_nothing_is_written(session, tmp_content, file, old, new, expected):
    _rewrite(tmp_content / file, old, new)
    (tmp_content / "practices" / "brand-neu.md").write_text(
        (CONTENT / "practices" / "ki-grundlagen-workshop.md")
        .read_text("utf-8")
        .replace("slug: ki-grundlagen-workshop", "slug: brand-neu"),
        "utf-8",
    )
    before = _counts()
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert _counts() == before
    assert db.session.scalars(sa.select(Practice).where(Practice.slug == "brand-neu")).first() is None


def test_every_problem_is_listed_at_once(session, tmp_content):
    _rewrite(tmp_content / "practices" / "ki-angebote-tischlerei.md", "sectors: [", "sectors: [Z, ")
    (tmp_content / "practices" / "kaputt.md").write_text("---\ntitle: Nur ein Titel\n---\nText\n", "utf-8")
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    fields = {(p.file, p.field) for p in caught.value.problems}
    assert ("practices/ki-angebote-tischlerei.md", "sectors") in fields
    for required in ("kind", "centre", "summary", "sectors", "sizes", "topics", "visibility", "status"):
        assert ("practices/kaputt.md", required) in fields, required


def test_related_slug_must_exist(session, tmp_content):
    path = tmp_content / "practices" / "kaputt.md"
    source = (CONTENT / "practices" / "ki-grundlagen-workshop.md").read_text("utf-8")
    source = source.replace("slug: ki-grundlagen-workshop", "slug: kaputt")
    source = source.replace("status: ", "related:\n  - {slug: gibt-es-nicht, type: see-also}\nstatus: ", 1)
    path.write_text(source.replace("status: published", "status: draft"), "utf-8")
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert any(
        str(p).startswith("practices/kaputt.md: related[0].slug: 'gibt-es-nicht' is not a practice")
        for p in caught.value.problems
    ), [str(p) for p in caught.value.problems]


def test_duplicate_slug_is_refused(session, tmp_content):
    original = (tmp_content / "practices" / "ki-grundlagen-workshop.md").read_text("utf-8")
    (tmp_content / "practices" / "zweite-kopie.md").write_text(
        original if "slug: ki-grundlagen-workshop" in original else original, "utf-8"
    )
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert any(
        p.file == "practices/zweite-kopie.md" and p.field == "slug" and "already used" in p.message
        for p in caught.value.problems
    )


def test_alias_tags_become_canonical(session, tmp_content):
    _rewrite(tmp_content / "practices" / "ki-angebote-tischlerei.md", "tags: [", "tags: [llm, ")
    import_folder(tmp_content)
    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == "ki-angebote-tischlerei")).one()
    names = [t.name for t in practice.tags]
    assert "sprachmodell" in names and "llm" not in names
    assert db.session.get(TagAlias, "llm").tag.name == "sprachmodell"


def test_empty_hub_gets_the_whole_folder(session, tmp_path):
    """Importing into a hub with nothing in it (schema only) creates everything, in one go."""
    from hub.models import CollectionItem, CompanySize, SynonymGroup, Topic

    for model in (CollectionItem, Collection, ExperienceReport, PracticeLink, OutboxEvent):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.update(Practice).values(head_revision_id=None))
    for model in (Revision, Practice, TagAlias, Tag, User, Centre, Topic, CompanySize, Sector, SynonymGroup):
        db.session.execute(sa.delete(model))
    report = import_folder(CONTENT)
    assert report.practices_created == len(_practice_files())
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == len(_practice_files())
