"""`hub import`: a valid folder loads; every kind of bad input names file and field and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.models import (
    Centre,
    Collection,
    CollectionItem,
    CompanySize,
    ExperienceReport,
    OutboxEvent,
    Practice,
    PracticeLink,
    Revision,
    Sector,
    SynonymGroup,
    Tag,
    TagAlias,
    Topic,
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
        "practices/ki-angebote-tischlerei.md: updated: "
        "invalid YAML (line 16, column 1): duplicate key 'updated'",
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
    (tmp_content / "practices" / "zweite-kopie.md").write_text(original, "utf-8")
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
    for model in (CollectionItem, Collection, ExperienceReport, PracticeLink, OutboxEvent):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.update(Practice).values(head_revision_id=None))
    for model in (Revision, Practice, TagAlias, Tag, User, Centre, Topic, CompanySize, Sector, SynonymGroup):
        db.session.execute(sa.delete(model))
    report = import_folder(CONTENT)
    assert report.practices_created == len(_practice_files())
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == len(_practice_files())


# --- files as people really write them: Windows, other encodings, YAML features, huge files -----------

TISCHLEREI = "practices/ki-angebote-tischlerei.md"


def _replace_in(file: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: _rewrite(root / file, old, new)


def _write(file: str, content: bytes | str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / file).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return write


def _front_matter(slug: str = "neu", extra: str = "") -> str:
    return (
        f"---\ntitle: Neu\nslug: {slug}\nkind: method\ncentre: zz-thueringen\nsummary: Kurz.\nsectors: [C]\n"
        f"sizes: [small]\ntopics: [kuenstliche-intelligenz]\nvisibility: public\nstatus: draft\n{extra}---\n"
    )


BROKEN_FILES = [
    # (id, change to the demo folder, (file, field) named, part of the message)
    ("latin-1", _write("practices/neu.md", _front_matter().encode() + "Größe\n".encode("latin-1")),
     ("practices/neu.md", "-"), "not UTF-8 text (byte 0xf6 on line 13)"),
    ("utf-16", _write("users.yml", "- {username: x}\n".encode("utf-16")), ("users.yml", "-"), "not UTF-8"),
    ("no front matter", _write("practices/neu.md", "title: Neu\n\nText\n"),
     ("practices/neu.md", "front matter"), "no YAML front matter"),
    ("unterminated front matter", _write("practices/neu.md", _front_matter().removesuffix("---\n") + "Text\n"),
     ("practices/neu.md", "front matter"), "not closed by a line '---'"),
    ("duplicate key in a mapping", _replace_in(TISCHLEREI, "  result: worked", "  result: worked\n  result: failed"),
     (TISCHLEREI, "result"), "duplicate key 'result'"),
    ("duplicate key in centres.yml", _replace_in("centres.yml", "kind: regional", "kind: regional\n  name: X"),
     ("centres.yml", "name"), "duplicate key 'name'"),
    ("merged key set again", _write("practices/neu.md", _front_matter(extra="outcome: {<<: {result: worked}, result: failed}\n")),
     ("practices/neu.md", "result"), "duplicate key 'result'"),
    ("list as key", _write("practices/neu.md", _front_matter(extra="? [a, b]\n: 1\n")),
     ("practices/neu.md", "front matter"), "a list or mapping cannot be a key"),
    ("file name not a slug", _write("collections/Neue Sammlung.md", "---\ntitle: X\nvisibility: public\n---\n"),
     ("collections/Neue Sammlung.md", "slug"), "the file name 'Neue Sammlung' is not a valid slug"),
    ("collection lists a mapping", _write("collections/neu.md", "---\ntitle: X\nvisibility: public\npractices: [{a: 1}]\n---\n"),
     ("collections/neu.md", "practices"), "{'a': 1} is not a practice"),
    ("sub-folder", lambda root: (root / "practices" / "2024").mkdir(),
     ("practices/2024", "-"), "sub-folders are not read"),
    ("huge file", _write("practices/neu.md", _front_matter() + "x" * (5 * 1024 * 1024)),
     ("practices/neu.md", "-"), "larger than 4 MB"),
    ("body too long", _write("practices/neu.md", _front_matter() + "x" * 200_001),
     ("practices/neu.md", "body"), "longer than 200000 characters"),
    ("control character in the body", _write("practices/neu.md", _front_matter() + "Klingel \x07\n"),
     ("practices/neu.md", "body"), "control character U+0007"),
    ("lone CR in the body", _write("practices/neu.md", _front_matter() + "alt\rMac\n"),
     ("practices/neu.md", "body"), "control character U+000D"),
    ("escaped NUL in a title", _replace_in(TISCHLEREI, "title: ", 'title: "Null\\0"\nx: '),
     (TISCHLEREI, "title"), "control character U+0000"),
    ("escaped lone surrogate in a note", _replace_in(TISCHLEREI, 'note: "', 'note: "\\ud800'),
     (TISCHLEREI, "experiences[0].note"), "control character U+D800"),
    ("effort with two decimals", _replace_in(TISCHLEREI, "effort_days: 6", "effort_days: 2.25"),
     (TISCHLEREI, "outcome.effort_days"), "2.25 has more than 1 decimal place"),
    ("effort too large", _replace_in(TISCHLEREI, "effort_days: 6", "effort_days: 10000000"),
     (TISCHLEREI, "outcome.effort_days"), "below 10000000"),
    ("cost too large", _replace_in(TISCHLEREI, "cost_eur: 2500", "cost_eur: 3000000000"),
     (TISCHLEREI, "outcome.cost_eur"), "below 2147483648"),
    ("cost with decimals", _replace_in(TISCHLEREI, "cost_eur: 2500", "cost_eur: 2500.5"),
     (TISCHLEREI, "outcome.cost_eur"), "2500.5 is not an integer"),
    ("tag longer than the column", _replace_in(TISCHLEREI, "tags: [", f"tags: [{'a' * 81}, "),
     (TISCHLEREI, "tags"), "is not a valid tag"),
    ("topic slug longer than the column", _replace_in("taxonomy.yml", "topics:\n", f"topics:\n  - {{slug: {'t' * 81}, name: T}}\n"),
     ("taxonomy.yml", "topics[0].slug"), "longer than 80 characters"),
    ("date in other digits", _replace_in(TISCHLEREI, "updated: 2025-05-02", "updated: ٢٠٢٥-٠٥-٠٢"),  # noqa: RUF001 - Arabic-Indic digits on purpose
     (TISCHLEREI, "updated"), "is not a date"),
]


@pytest.mark.parametrize(("change", "named", "message"), [b[1:] for b in BROKEN_FILES], ids=[b[0] for b in BROKEN_FILES])
def test_broken_file_is_named_and_nothing_is_written(session, tmp_content, change, named, message):
    change(tmp_content)
    before = _counts()
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    problems = [p for p in caught.value.problems if (p.file, p.field) == named]
    assert problems, [str(p) for p in caught.value.problems]
    assert message in problems[0].message, str(problems[0])
    assert _counts() == before


def test_the_slug_key_names_a_practice_whose_file_is_named_otherwise(session, tmp_content):
    """The ``slug:`` key is optional and defaults to the file name; given, it wins (hand-made folders)."""
    (tmp_content / "practices" / "01 Erste Fassung.md").write_text(_front_matter(slug="neu") + "Text\n", "utf-8")
    import_folder(tmp_content)
    assert db.session.scalars(sa.select(Practice.title).where(Practice.slug == "neu")).one() == "Neu"


def test_a_folder_saved_on_windows_is_read_like_the_original(session, tmp_content):
    """CRLF line endings and a UTF-8 byte order mark: the same content, so nothing changes."""
    for path in tmp_content.rglob("*"):
        if path.suffix in (".md", ".yml"):
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = _counts()
    report = import_folder(tmp_content)
    assert (report.practices_created, report.practices_updated) == (0, 0)
    assert _counts() == before


def test_anchors_aliases_and_merge_keys_are_read_as_yaml(session, tmp_content):
    (tmp_content / "practices" / "neu.md").write_text(
        _front_matter(
            extra="experiences:\n"
            "  - &bericht {centre: zz-thueringen, sector: C, size: micro, result: worked, date: 2025-01-02}\n"
            "  - *bericht\n"
            "  - {<<: *bericht, note: Zweimal}\n"
        )
        + "Text\n",
        "utf-8",
    )
    import_folder(tmp_content)
    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == "neu")).one()
    assert [(r.centre.slug, r.result.value, r.note) for r in practice.experiences] == [
        ("zz-thueringen", "worked", ""),
        ("zz-thueringen", "worked", ""),
        ("zz-thueringen", "worked", "Zweimal"),
    ]
