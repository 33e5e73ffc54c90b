"""The search index follows every writer: ``hub.search.outbox`` decides at flush time what needs a
reindex, so neither the import nor a plain ORM change can leave the index stale."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.extensions import db
from hub.models import ExperienceReport, OutboxEvent, Practice
from hub.search.check import check_index
from hub.search.sync import get_index
from tests.search_helpers import practice, run, slugs


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _assert_in_step(app) -> None:
    report = check_index(get_index(app), db.session)
    assert report.ok, report.problems[:5]


VOCABULARY_CHANGES = [
    # (file, old text, new text): what documents carry of a centre, sector or topic
    ("centres.yml", "name: Zukunftszentrum Sachsen\n", "name: Zukunftszentrum Freistaat Sachsen\n"),
    ("centres.yml", "state: DE-SN", "state: DE-BE"),
    ("taxonomy.yml", 'name: "Verarbeitendes Gewerbe"', 'name: "Verarbeitende Industrie"'),
    ("taxonomy.yml", 'name: "Prozessdigitalisierung"', 'name: "Digitale Abläufe"'),
]


@pytest.mark.parametrize(
    ("file", "old", "new"), VOCABULARY_CHANGES, ids=["centre", "state", "sector", "topic"]
)
def test_reimport_with_a_renamed_vocabulary_entry_leaves_the_index_in_step(
    app, session, tmp_content, file, old, new
):
    """Rule: which changes need a reindex is decided in hub/search — an import that renames a centre,
    moves it to another state or renames a sector or topic leaves ``hub index check`` clean."""
    _rewrite(tmp_content / file, old, new)
    import_folder(tmp_content)
    _assert_in_step(app)


def test_reimport_of_an_unchanged_vocabulary_writes_no_outbox_row(session, tmp_content):
    """Rule: an equal value is no change: re-importing the same centres and taxonomy reindexes nothing."""
    before = db.session.scalar(sa.select(sa.func.count(OutboxEvent.id)))
    import_folder(tmp_content)
    assert db.session.scalar(sa.select(sa.func.count(OutboxEvent.id))) == before


def test_a_renamed_centre_is_found_under_its_new_name(session, tmp_content):
    """Rule: a centre's name is searchable metadata of its practices, so a rename reaches search."""
    _rewrite(
        tmp_content / "centres.yml", "name: Zukunftszentrum Sachsen\n", "name: Zukunftszentrum Elbflorenz\n"
    )
    import_folder(tmp_content)
    assert any(hit.card["centre"] == "zz-sachsen" for hit in run("Elbflorenz").hits)


def test_plain_orm_changes_reach_the_index(app, session):
    """Rule: no writer can forget the index — an experience note, a tag name and a deletion made
    without any operation each leave an outbox row, and the index follows."""
    report = db.session.scalars(sa.select(ExperienceReport).order_by(ExperienceReport.id)).first()
    report.note = "Ein Wolkenkuckucksheim von einer Notiz."
    db.session.commit()
    assert slugs(run("Wolkenkuckucksheim")) == [report.practice.slug]
    tag = practice("hofladen-digital").tags[0]
    tag.name = "schlaraffenland"
    db.session.commit()
    assert "hofladen-digital" in slugs(run("schlaraffenland"))
    doomed = practice("sensorik-obstbau")
    db.session.delete(doomed)
    db.session.commit()
    assert db.session.get(Practice, doomed.id) is None
    _assert_in_step(app)
