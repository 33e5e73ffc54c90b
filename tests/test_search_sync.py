"""The index stays in step with the database: after commit, after a crash, across processes, rebuilds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from whoosh import index as whoosh_index

from hub.extensions import db
from hub.models import OutboxEvent, Practice
from hub.search.check import check_index
from hub.search.index import AppliedState, merge_choice
from hub.search.sync import get_index, sync
from tests.search_helpers import copy_practice, practice, retitle, run, slugs
from tests.support import PROJECT, prepare_database


def test_a_committed_change_is_searchable_at_once(session):
    copy_practice("hofladen-digital", "imkerei-onlineshop", "Imkerei verkauft Honig im Onlineshop")
    assert slugs(run("Imkerei")) == []  # not committed: not in the index
    db.session.commit()
    assert slugs(run("Imkerei")) == ["imkerei-onlineshop"]
    retitle("imkerei-onlineshop", "Honigverkauf ab Hof", status="draft")
    db.session.commit()
    assert slugs(run("Imkerei")) == [] and slugs(run("Honigverkauf", widen=False)) == []  # draft: hidden
    assert "imkerei-onlineshop" not in slugs(run("Honigverkauf", per_page=100))  # nor through its parts
    assert slugs(run("Honigverkauf", "admin", statuses=["draft"])) == ["imkerei-onlineshop"]


def test_deleting_a_practice_removes_it(session):
    target = practice("sensorik-obstbau")
    db.session.delete(target)
    db.session.add(OutboxEvent(practice_id=target.id, reason="deleted"))
    db.session.commit()
    assert "sensorik-obstbau" not in slugs(run("Sensorik Obstbau"))


def test_crash_between_commit_and_index_loses_nothing(session, app):
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False  # the process "dies" right after the commit
    try:
        copy_practice("hofladen-digital", "imkerei-crash", "Imkerei nach dem Absturz")
        db.session.commit()
    finally:
        app.config["SEARCH_SYNC_AFTER_COMMIT"] = True
    index = get_index(app)
    assert slugs(run("Imkerei")) == []
    assert index.pending_count(db.session) == 1
    report = check_index(index, db.session)
    assert not report.ok and any("imkerei-crash" in p for p in report.problems)
    # the next write syncs everything pending, including the row the "crashed" process left
    retitle("sensorik-obstbau", "Bodenfeuchte-Sensorik im Obstbau (aktualisiert)")
    db.session.commit()
    assert slugs(run("Imkerei")) == ["imkerei-crash"]
    assert index.pending_count(db.session) == 0
    assert check_index(index, db.session).ok


def test_out_of_order_commits_are_not_skipped():
    state = AppliedState(low=10, above=set())
    state.above.update({12, 13})  # 11 is still being committed by another transaction

    now = datetime.now(UTC)
    state.advance([(12, now), (13, now)], now)
    assert state.low == 10 and not state.has(11) and state.has(12)
    state.above.add(11)
    state.advance([(11, now), (12, now), (13, now)], now)
    assert state.low == 13 and state.above == set()
    # a gap whose neighbour is old: the transaction that took the id rolled back long ago
    state.above.update({16})
    state.advance([(16, now - timedelta(hours=1))], now)
    assert state.low == 16


def test_index_check_detects_a_corrupted_index(fresh_app):
    prepare_database(fresh_app)
    runner = fresh_app.test_cli_runner()
    ok = runner.invoke(args=["index", "check"])
    assert ok.exit_code == 0, ok.output
    assert "in step" in ok.output
    folder = get_index(fresh_app).folder()
    for path in folder.glob("*.seg"):
        path.write_bytes(b"\0garbage" * 64)
    for path in folder.glob("_MAIN_*.toc"):
        path.write_bytes(b"\0garbage")
    get_index(fresh_app).close()
    broken = runner.invoke(args=["index", "check"])
    assert broken.exit_code != 0, broken.output
    assert "unreadable" in broken.output
    rebuilt = runner.invoke(args=["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["index", "check"]).exit_code == 0


def test_index_check_detects_a_change_that_bypassed_the_outbox(fresh_app):
    prepare_database(fresh_app)
    with fresh_app.app_context():
        db.session.execute(
            sa.update(Practice).where(Practice.slug == "hofladen-digital").values(title="Anders")
        )
        db.session.commit()
    result = fresh_app.test_cli_runner().invoke(args=["index", "check"])
    assert result.exit_code == 1 and "stale in index: hofladen-digital" in result.output


def test_index_update_applies_what_a_crashed_process_left(fresh_app):
    prepare_database(fresh_app)
    fresh_app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    with fresh_app.test_request_context():
        copy_practice("hofladen-digital", "imkerei-update", "Imkerei mit Hofladen")
        db.session.commit()
        assert slugs(run("Imkerei")) == []
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["index", "check"]).exit_code == 1
    result = runner.invoke(args=["index", "update"])
    assert result.exit_code == 0 and "Applied 1" in result.output, result.output
    with fresh_app.test_request_context():
        assert slugs(run("Imkerei")) == ["imkerei-update"]
    assert runner.invoke(args=["index", "check"]).exit_code == 0


def test_rebuild_while_searching_serves_results_throughout(fresh_app):
    prepare_database(fresh_app)
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        with fresh_app.test_request_context():
            while not stop.is_set():
                try:
                    counts.append(run("Digitalisierung").total)
                except BaseException as error:  # noqa: BLE001 - any failure fails the test
                    errors.append(error)
                    return

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        runner = fresh_app.test_cli_runner()
        for _ in range(3):
            result = runner.invoke(args=["index", "rebuild"])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert len(counts) > 3 and min(counts) > 0 and len(set(counts)) == 1
    assert len(list(Path(fresh_app.config["INDEX_DIR"]).glob("gen-*"))) <= 2


WRITER = """
import sys
import time
from sqlalchemy.exc import OperationalError
from dataclasses import replace
from hub import create_app
from hub.extensions import db
from hub.practices.operations import create_practice, practice_data
from tests.search_helpers import practice
app = create_app({"DATABASE_URL": sys.argv[1], "INDEX_DIR": sys.argv[2], "SECRET_KEY": "x",
                  "SEARCH_LOCK_TIMEOUT": 30.0})
name, count = sys.argv[3], int(sys.argv[4])
with app.test_request_context():
    base = practice_data(practice("hofladen-digital"))
    for i in range(count):
        title = f"Parallelprobe {name} {i}"
        data = replace(base, slug=f"{name}-{i}", title=title, related=[], experiences=[])
        for attempt in range(50):  # SQLite: a deferred transaction may have to start again
            try:
                create_practice(None, data)
                db.session.commit()
                break
            except OperationalError:
                db.session.rollback()
                time.sleep(0.05 * (attempt + 1))
        else:
            raise SystemExit("database stayed locked")
print("ok")
"""


def test_two_processes_writing_at_once_lose_nothing(fresh_app):
    prepare_database(fresh_app)
    url = fresh_app.config["DATABASE_URL"]
    folder = fresh_app.config["INDEX_DIR"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, folder, name, "15"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("links", "rechts")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0 and "ok" in out, err[-2000:]
        assert "Traceback" not in err, err[-2000:]
    get_index(fresh_app).close()
    with fresh_app.test_request_context():
        assert run("Parallelprobe", "admin", per_page=100).total == 30
        assert check_index(get_index(fresh_app), db.session).ok
    assert sync(fresh_app) == 0


def test_writes_never_merge_and_small_segments_are_merged_in_the_background(fresh_app):
    prepare_database(fresh_app)
    index = get_index(fresh_app)
    index.merge_at = 1000  # no background merge while we count
    with fresh_app.test_request_context():
        before = index.segment_count()
        for number in range(4):
            retitle("sensorik-obstbau", f"Bodenfeuchte-Sensorik im Obstbau, Fassung {number}")
            db.session.commit()
        assert index.segment_count() == before + 4  # each write added a segment, none merged
        index.merge_at = 2
        retitle("sensorik-obstbau", "Bodenfeuchte-Sensorik im Obstbau, Fassung final")
        db.session.commit()  # above the threshold: a background thread merges
        for thread in threading.enumerate():
            if thread.name == "search-merge":
                thread.join(timeout=30)
        assert index.segment_count() < before + 5
        assert not merge_choice(index.segment_sizes(), 2)  # nothing left that the policy would merge
        final = run("Fassung final")  # the one practice with both words, then those with one
        assert slugs(final)[0] == "sensorik-obstbau" and final.complete == 1
        assert slugs(run('"Fassung 2"')) == []  # the older versions are gone
        assert check_index(index, db.session).ok
    result = fresh_app.test_cli_runner().invoke(args=["index", "optimize"])
    assert result.exit_code == 0 and "into 1" in result.output, result.output
    assert index.segment_count() == 1


def test_a_background_merge_gives_way_to_a_busy_writer(fresh_app):
    prepare_database(fresh_app)
    index = get_index(fresh_app)
    writer = whoosh_index.open_dir(str(index.folder())).writer()  # held like another process would
    try:
        assert index.merge_small() is False
    finally:
        writer.cancel()
    assert index.merge_small() is True


def test_the_merge_policy_merges_a_size_class_once_it_is_full():
    assert merge_choice([50_000, 1, 1, 1, 1, 1, 1, 1], 8) == set()  # seven small ones may stay
    assert merge_choice([50_000, 1, 1, 1, 1, 1, 1, 1, 2], 8) == set(range(1, 9))  # the eighth: merged
    assert merge_choice([7] * 7 + [8], 8) == set()  # 7 documents is the first class, 8 the second
    # eight small ones merge into a segment of the next class, which fills that class: all merge
    assert merge_choice([9] * 7 + [1] * 8, 8) == set(range(15))
    assert merge_choice([30_000, 25_000], 8) == set()


def test_under_steady_writes_the_segment_count_stays_bounded():
    segments = [25_000, 25_000]  # a rebuild with two processes
    for write in range(5_000):
        segments.append(1 + write % 3)
        chosen = merge_choice(segments, 8)
        if chosen:
            merged = sum(segments[position] for position in chosen)
            segments = [size for position, size in enumerate(segments) if position not in chosen] + [merged]
        assert len(segments) <= 7 * 6, segments  # fewer than eight per class; 5 classes up to 32,767
    assert sum(segments) == 50_000 + sum(1 + write % 3 for write in range(5_000))
