"""Health for load balancers and orchestrators.

``GET /healthz``: the process answers (no database access). ``GET /readyz``: the database answers,
its schema is at the newest Alembic head, this host's search index opens, and the oldest outbox row
the index has not applied is younger than ``HUB_READY_OUTBOX_LAG_SECONDS``. Both answer 200 or 503
with a small JSON body naming each check and what is wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy.orm import Session

from hub.extensions import db
from hub.models._types import utcnow
from hub.search import search_service

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
OK = "ok"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    return jsonify(status=OK), 200


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks = readiness()
    ready = all(result == OK for result in checks.values())
    if not ready:
        log.warning("not ready: %s", {name: result for name, result in checks.items() if result != OK})
    return jsonify(status=OK if ready else "unavailable", checks=checks), 200 if ready else 503


def readiness() -> dict[str, str]:
    """Each check's result: ``"ok"`` or what is wrong. Later checks are skipped without a database."""
    checks = {"database": _run(check_database)}
    if checks["database"] != OK:
        return checks | {"schema": "skipped", "search_index": "skipped", "outbox": "skipped"}
    checks["schema"] = _run(check_schema)
    checks["search_index"] = _run(check_search_index)
    checks["outbox"] = _run(check_outbox) if checks["schema"] == OK else "skipped"
    return checks


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - any failure is the answer, named without secrets
        db.session.rollback()
        first_line = (str(error).splitlines() or [""])[0][:200]
        return f"{type(error).__name__}: {first_line}".rstrip(": ")


def check_database() -> str:
    db.session.execute(sa.text("SELECT 1"))
    return OK


@cache
def newest_heads() -> frozenset[str]:
    """The heads of the migrations shipped with this version (read once per process)."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def check_schema() -> str:
    with db.engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    if current == newest_heads():
        return OK
    newest = ", ".join(sorted(newest_heads()))
    return f"schema at {', '.join(sorted(current)) or 'nothing'}, newest is {newest}"


def check_search_index() -> str:
    search_service().open_searcher()
    return OK


def check_outbox() -> str:
    limit = float(current_app.config["READY_OUTBOX_LAG_SECONDS"])
    with Session(bind=db.engine) as session:
        count, oldest = search_service().pending(session)
    lag = seconds_since(oldest)
    if lag > limit:
        return f"{count} outbox row(s) pending, oldest {lag:.0f} s (limit {limit:.0f} s)"
    return OK


def seconds_since(moment: datetime | None) -> float:
    """Seconds from ``moment`` to now (0 for none)."""
    return 0.0 if moment is None else max(0.0, (utcnow() - moment).total_seconds())
