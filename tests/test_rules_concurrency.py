"""Issue 13 rule 8: two saves from the same base revision at the same moment — one wins, one conflicts."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from hub.extensions import db
from hub.models import Practice, Revision
from hub.practices.operations import Conflict, practice_data, update_practice
from tests.support import prepare_database

SLUG = "ki-angebote-tischlerei"


def test_two_saves_from_the_same_base_at_the_same_moment(fresh_app: Any) -> None:
    """Pins issue-13 rule 8: two threads, each with its own connection, save the same practice from
    the same base revision at once. Both are held after the base check and before writing, until the
    other arrives too (or two seconds pass): only the row lock taken before the check (SELECT … FOR
    UPDATE on PostgreSQL, the write lock on SQLite) keeps the second from passing the check as well.
    Exactly one save wins; the other gets ``Conflict`` — not a second revision, not a database error."""
    prepare_database(fresh_app)
    with fresh_app.app_context():
        practice = db.session.scalars(sa.select(Practice).where(Practice.slug == SLUG)).one()
        base = practice.head_revision_id
        revisions_before = db.session.scalar(sa.select(sa.func.count(Revision.id)))
        db.session.remove()

    both_checked = threading.Barrier(2, timeout=2)
    held = threading.local()
    results: dict[str, str] = {}

    def hold_first_write(session: Session, _context: object, _instances: object) -> None:
        if getattr(held, "active", False) and not getattr(held, "done", False):
            held.done = True
            # both passed the base check: without a lock, both will write; with it the other waits
            # for the lock, the barrier breaks after two seconds, and this one goes on alone
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait()

    def save(name: str, start: threading.Barrier) -> None:
        with fresh_app.app_context():
            try:
                found = db.session.scalars(sa.select(Practice).where(Practice.slug == SLUG)).one()
                data = practice_data(found)
                data.body = f"Absatz von {name}."
                start.wait()
                held.active = True
                update_practice(None, found, data, f"von {name}", base_revision_id=base)
                db.session.commit()
                results[name] = "saved"
            except Conflict:
                db.session.rollback()
                results[name] = "conflict"
            except Exception as error:  # noqa: BLE001 - reported in the assertion below
                db.session.rollback()
                results[name] = f"error: {error!r}"
            finally:
                db.session.remove()

    start = threading.Barrier(2, timeout=30)
    event.listen(Session, "before_flush", hold_first_write)
    try:
        threads = [threading.Thread(target=save, args=(name, start)) for name in ("Thomas", "Markus")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(Session, "before_flush", hold_first_write)

    assert sorted(results.values()) == ["conflict", "saved"], results
    with fresh_app.app_context():
        practice = db.session.scalars(sa.select(Practice).where(Practice.slug == SLUG)).one()
        winner = next(name for name, result in results.items() if result == "saved")
        assert practice.body == f"Absatz von {winner}."
        assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == revisions_before + 1
        assert practice.head.number == db.session.get(Revision, base).number + 1
