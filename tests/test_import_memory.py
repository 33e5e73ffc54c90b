"""`hub import` reads a folder in two passes (issue 16): the check keeps names and slugs, not
write-ups, so memory does not grow with the bodies of a large folder; each practice is read again as
it is written. The problems of a bad folder are listed as a single pass over all of it would."""

from __future__ import annotations

import pickle
import tracemalloc
from pathlib import Path

import pytest

from hub.exchange.reader import InvalidContent, read_folder, read_practices
from hub.vocabulary.stored import Known
from tests.support import CONTENT

TEMPLATE = (CONTENT / "practices" / "ki-grundlagen-workshop.md").read_text("utf-8")
BODY_CHARS = 40_000  # far more than any front matter: what the check must not keep


def _add_practices(root: Path, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        slug = f"massen-{number:05d}"
        head, _body = TEMPLATE.split("\n---\n", 1)
        body = f"Eindeutig{number:05d} " + "Text für die Praxis. " * (BODY_CHARS // 21)
        (root / "practices" / f"{slug}.md").write_text(
            head.replace("slug: ki-grundlagen-workshop", f"slug: {slug}") + "\n---\n" + body, "utf-8"
        )


def _peak_of_the_check(root: Path) -> int:
    tracemalloc.start()
    try:
        read_folder(root, Known())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_check_keeps_no_write_ups(app, tmp_content):
    _add_practices(tmp_content, 30)
    bundle = read_folder(tmp_content, Known())
    assert "practices/massen-00029.md" in bundle.practice_files
    held = pickle.dumps(bundle)
    assert b"Eindeutig" not in held  # no body of a practice
    assert len(held) < 2 * BODY_CHARS  # names, slugs, vocabularies, the demo's collections


def test_the_checks_memory_does_not_grow_with_the_bodies(app, tmp_content):
    _add_practices(tmp_content, 10)
    small = _peak_of_the_check(tmp_content)
    _add_practices(tmp_content, 60, start=10)
    large = _peak_of_the_check(tmp_content)
    # 60 more files of ≥ 40,000 characters (≥ 2.4 MB of text); held, the peak would grow by that
    assert large - small < 60 * BODY_CHARS / 10, (small, large)


def test_the_second_pass_reads_what_the_first_checked(app, tmp_content):
    _add_practices(tmp_content, 3)
    bundle = read_folder(tmp_content, Known())
    practices = list(read_practices(bundle))
    assert [f"practices/{p.slug}.md" for p in practices] == bundle.practice_files  # the folder's order
    bodies = {p.slug: p.body for p in practices}
    assert bodies["massen-00002"].startswith("Eindeutig00002 Text für die Praxis.")


def test_a_file_changed_between_the_passes_is_named(app, tmp_content):
    _add_practices(tmp_content, 2)
    bundle = read_folder(tmp_content, Known())
    path = tmp_content / "practices" / "massen-00001.md"
    path.write_text(path.read_text("utf-8").replace("kind: method", "kind: zauberei"), "utf-8")
    with pytest.raises(InvalidContent) as caught:
        list(read_practices(bundle))
    assert [(p.file, p.field) for p in caught.value.problems] == [("practices/massen-00001.md", "kind")]


def test_links_to_later_files_count_and_problems_keep_their_order(app, tmp_content):
    """A link to a practice whose file comes later is valid; a link to none is a problem listed in
    its place among the file's problems; taken slugs come before the field problems."""
    practices = tmp_content / "practices"
    first = TEMPLATE.replace("slug: ki-grundlagen-workshop", "slug: aaa-erste").replace(
        "status: published",
        "status: published\nrelated:\n  - {slug: zzz-letzte, type: see-also}\n"
        "  - {slug: gibt-es-nicht, type: see-also}",
    )
    (practices / "aaa-erste.md").write_text(first.replace("kind: method", "kind: zauberei"), "utf-8")
    last = TEMPLATE.replace("slug: ki-grundlagen-workshop", "slug: zzz-letzte")
    (practices / "zzz-letzte.md").write_text(last.replace("date: 2024-09-12", "date: gestern"), "utf-8")
    (practices / "zzz-zweite.md").write_text(last, "utf-8")  # the slug zzz-letzte again
    with pytest.raises(InvalidContent) as caught:
        read_folder(tmp_content, Known())
    assert [(p.file, p.field) for p in caught.value.problems] == [
        ("practices/zzz-zweite.md", "slug"),
        ("practices/aaa-erste.md", "kind"),
        ("practices/aaa-erste.md", "related[1].slug"),
        ("practices/zzz-letzte.md", "experiences[0].date"),
    ], [str(p) for p in caught.value.problems]
