"""Health endpoints (issue 17 item 4): /healthz without the database, /readyz checks database,
schema head, search index and outbox lag, answering 200 or 503 with what is wrong."""

from __future__ import annotations

from datetime import timedelta

from hub.extensions import db
from hub.models import OutboxEvent
from hub.models._types import utcnow
from tests.support import make_app


def test_healthz_answers_without_a_database(tmp_path):
    """A process whose database is gone is still alive: /healthz does not touch it."""
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}", tmp_path, SEARCH_SYNC_ON_START=False)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["database"] != "ok"


def test_readyz_is_ready_on_a_migrated_hub(client, session):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "search_index": "ok", "outbox": "ok"},
    }


def test_readyz_names_a_schema_behind_the_newest_migration(fresh_app):
    assert fresh_app.test_cli_runner().invoke(args=["db", "upgrade", "0005_api_tokens"]).exit_code == 0
    response = fresh_app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["schema"].startswith("schema at 0005_api_tokens, newest is ") and checks["database"] == "ok"


def test_readyz_fails_when_the_outbox_lags(fresh_app):
    """An outbox row older than the threshold that this host's index has not applied: not ready;
    once the index applied it, ready again."""
    assert fresh_app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    fresh_app.config.update(READY_OUTBOX_LAG_SECONDS=60, SEARCH_SYNC_AFTER_COMMIT=False)
    with fresh_app.app_context():
        db.session.add(OutboxEvent(practice_id=None, reason="test", created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        response = fresh_app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["outbox"] == "1 outbox row(s) pending, oldest 300 s (limit 60 s)"
        fresh_app.extensions["search"].index.apply_pending(db.session)
    assert fresh_app.test_client().get("/readyz").status_code == 200
