"""``hub index rebuild`` in parallel worker processes (the default: one per core) and the bulk import
that builds the index once at its end give the same index as one process writing it."""

from __future__ import annotations

import sqlalchemy as sa
from whoosh import index as whoosh_index

from hub.exchange import importer
from hub.extensions import db
from hub.models import Practice
from hub.search import rebuild
from hub.search.check import check_index
from hub.search.index import SearchIndex
from hub.search.sync import get_index
from tests.support import prepare_database


def _stored(app) -> dict[str, dict]:
    index = get_index(app)
    ix = whoosh_index.open_dir(str(index.folder()))
    with ix.searcher() as searcher:
        return {fields["id"]: fields["fp"] for fields in searcher.all_stored_fields()}


def test_parallel_rebuild_writes_every_practice_once_in_a_segment_per_process(fresh_app, monkeypatch):
    prepare_database(fresh_app)
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["index", "rebuild", "--procs", "1"]).exit_code == 0
    alone = _stored(fresh_app)
    monkeypatch.setattr(rebuild, "PARALLEL_FROM", 0)  # the demo corpus is small
    monkeypatch.setattr(rebuild, "BATCH", 3)
    result = runner.invoke(args=["index", "rebuild", "--procs", "2"])
    assert result.exit_code == 0, result.output
    index = get_index(fresh_app)
    assert len(index.segment_sizes()) == 2  # each worker wrote its own segment
    assert _stored(fresh_app) == alone  # the same documents (fingerprints), none twice, none missing
    with fresh_app.app_context():
        assert check_index(index, db.session).ok
        assert index.doc_count() == db.session.scalar(sa.select(sa.func.count(Practice.id)))


def test_default_procs_are_the_cores(monkeypatch):
    monkeypatch.setattr(rebuild.os, "cpu_count", lambda: 6)
    assert rebuild.default_procs() == 6
    monkeypatch.setattr(rebuild.os, "cpu_count", lambda: None)
    assert rebuild.default_procs() == 1


def _broken(_practice):
    raise ValueError("broken document")


def test_a_failing_worker_fails_the_rebuild_and_keeps_the_old_index(fresh_app, monkeypatch):
    prepare_database(fresh_app)
    runner = fresh_app.test_cli_runner()
    before = get_index(fresh_app).folder()
    monkeypatch.setattr(rebuild, "PARALLEL_FROM", 0)
    monkeypatch.setattr(rebuild, "BATCH", 3)
    monkeypatch.setattr(rebuild, "document", _broken)  # handed to the workers (by name: importable)
    result = runner.invoke(args=["index", "rebuild", "--procs", "2"])
    assert result.exit_code != 0
    assert "broken document" in str(result.exception)
    assert get_index(fresh_app).folder() == before


def test_a_bulk_import_builds_the_index_once_at_its_end(fresh_app, monkeypatch):
    monkeypatch.setattr(importer, "BULK_INDEX_FROM", 1)  # the demo corpus counts as a bulk import
    monkeypatch.setattr(rebuild, "PARALLEL_FROM", 0)
    monkeypatch.setattr(rebuild, "BATCH", 3)
    applied: list[int] = []
    original = SearchIndex.apply_pending
    monkeypatch.setattr(SearchIndex, "apply_pending", lambda self, s: applied.append(1) or original(self, s))
    prepare_database(fresh_app)
    index = get_index(fresh_app)
    with fresh_app.app_context():
        assert check_index(index, db.session).ok  # every practice indexed, no outbox row pending
        assert index.pending_count(db.session) == 0
    assert len(index.segment_sizes()) == 2  # written by the parallel rebuild, not row by row
