"""``hub schedule`` (issue 17 item 6): the periodic jobs in one process — digests, index check with
repair, backups with a number of generations kept, jobs other packages add — on one host at a time."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from hub import schedule
from hub.extensions import db
from hub.following import operations as following
from hub.models import Practice, SearchLogEntry, User, WatchTarget
from hub.models._types import utcnow
from tests.factories import make_practice


def _initialised(app, demo: bool = True):
    """Schema (and the demo corpus)."""
    assert app.test_cli_runner().invoke(args=["init", "--demo" if demo else "--no-demo"]).exit_code == 0
    return app


def test_once_runs_every_job_and_keeps_backup_generations(fresh_app, tmp_path):
    """Digests are sent, the index is checked, a backup is written; only HUB_BACKUP_KEEP stay."""
    app = _initialised(fresh_app)
    app.config.update(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_KEEP=2)
    schedule.init_app(app)  # the backup job exists only with a backup folder
    with app.test_request_context():
        reader = db.session.scalars(sa.select(User).where(User.username == "jlehmann")).one()
        following.set_digest(reader, "daily")
        following.watch(reader, WatchTarget.TAG, "schichtplanung")
        make_practice(title="Geplante Mail", tags=["schichtplanung"])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["schedule", "--once"])
    assert first.exit_code == 0, first.output
    assert "digests: 1 digest(s) with 1 notification(s)" in first.output
    assert "index-check: Index in step" in first.output
    assert "backup: " in first.output and "rows into backup-" in first.output
    for _ in range(2):
        assert runner.invoke(args=["schedule", "--once"]).exit_code == 0
    generations = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len(generations) == 2 and all(name.startswith("backup-") for name in generations)


def test_index_check_repairs_drift_by_applying_pending_rows(fresh_app):
    """A change committed while the index did not follow: the scheduled check applies it."""
    app = _initialised(fresh_app)
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False  # the process "died" right after the commit
    with app.app_context():
        practice = db.session.scalars(sa.select(Practice).order_by(Practice.id)).first()
        practice.title = "Nachgezogener Titel"  # the search package's flush listener writes the outbox row
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["schedule", "--once"])
    assert result.exit_code == 0, result.output
    assert re.search(r"index-check: repaired by applying [1-9]\d* row\(s\): Index in step", result.output)
    assert app.test_cli_runner().invoke(args=["index", "check"]).exit_code == 0


def test_added_jobs_run_and_one_failing_job_does_not_stop_the_others(fresh_app):
    """Other packages add their periodic work (pruning, retention) with ``add_job``."""
    app = _initialised(fresh_app, demo=False)
    ran = []
    schedule.add_job(app, schedule.Job("prune-broken", 60, lambda: 1 // 0))
    schedule.add_job(app, schedule.Job("prune-search-log", 60, lambda: ran.append(1) or "pruned 0 rows"))
    result = app.test_cli_runner().invoke(args=["schedule", "--once"])
    assert result.exit_code == 0, result.output
    assert "prune-broken: failed: ZeroDivisionError" in result.output
    assert "prune-search-log: pruned 0 rows" in result.output and ran == [1]


def test_only_one_scheduler_runs_the_jobs(fresh_app):
    """While one scheduler holds the lock (advisory lock on PostgreSQL, lock file on SQLite), another
    runs nothing; once it is released, the next one runs."""
    app = _initialised(fresh_app, demo=False)
    runner = app.test_cli_runner()
    with schedule.leader_lock(app, wait=False) as held:
        assert held
        result = runner.invoke(args=["schedule", "--once"])
        assert result.exit_code == 0 and "Another scheduler holds the lock: nothing run." in result.output
        assert "digests:" not in result.output
    assert "digests:" in runner.invoke(args=["schedule", "--once"]).output


def test_due_jobs_follow_their_intervals(fresh_app):
    app = _initialised(fresh_app, demo=False)
    last_run: dict[str, float] = {}
    assert {name for name, _ in schedule.run_due(app, last_run, now=1000.0)} == {
        "digests", "index-check", "search-log-retention", "ended-logins"
    }
    assert schedule.run_due(app, last_run, now=1010.0) == []  # nothing due ten seconds later
    assert schedule.seconds_to_next(app, last_run, now=1010.0) == 3590.0  # the hourly digest
    assert [name for name, _ in schedule.run_due(app, last_run, now=4600.0)] == ["digests", "index-check"]


def test_the_search_log_keeps_only_its_retention(fresh_app):
    """Issue 11 item 14: the scheduler prunes search log entries older than
    HUB_SEARCH_LOG_RETENTION_DAYS (they can hold client names typed as queries)."""

    app = _initialised(fresh_app, demo=False)
    app.config["SEARCH_LOG_RETENTION_DAYS"] = 30
    with app.app_context():
        now = utcnow()
        db.session.add_all([
            SearchLogEntry(query="bäckerei müller", at=now - timedelta(days=31)),
            SearchLogEntry(query="schichtplan", at=now - timedelta(days=29)),
        ])
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["schedule", "--once"])
    assert "search-log-retention: 1 search log entries older than 30 days deleted" in result.output, result.output
    with app.app_context():
        assert db.session.scalars(sa.select(SearchLogEntry.query)).all() == ["schichtplan"]
