"""Domain events (``hub.events``): sent after the commit, never for a rolled-back change, and a
failing subscriber harms neither the change nor the other subscribers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from hub import events
from hub.exchange.importer import import_folder
from hub.extensions import db
from hub.following import operations as following
from hub.models import Notification, Practice, WatchTarget
from hub.practices.operations import create_practice
from tests.factories import practice_data, user
from tests.support import CONTENT


@pytest.fixture
def heard() -> Iterator[list[Any]]:
    """What the test's own ``practice_saved`` receiver heard, and the commits around it, in order."""
    log: list[Any] = []

    def receiver(practice: Practice, **payload: Any) -> None:
        log.append(("event", practice.slug, payload["was_published"]))

    def committed(_session: Any) -> None:
        log.append("commit")

    events.practice_saved.connect(receiver)
    event.listen(db.session(), "after_commit", committed)
    try:
        yield log
    finally:
        events.practice_saved.disconnect(receiver)
        event.remove(db.session(), "after_commit", committed)


def _notified(username: str) -> list[tuple[str, str]]:
    stmt = sa.select(Notification).where(Notification.user_id == user(username).id).order_by(Notification.id)
    return [(n.practice.title, n.because) for n in db.session.scalars(stmt)]


def test_events_are_sent_after_the_commit(session, heard):
    """Rule: subscribers run after the commit of the change they hear of, never inside it."""
    create_practice(None, practice_data(slug="nach-dem-commit"))
    db.session.flush()
    assert heard == []
    db.session.commit()
    assert heard.index("commit") < heard.index(("event", "nach-dem-commit", False))


def test_a_rolled_back_write_sends_no_event(session, heard):
    """Rule: an event of a change that was rolled back (a whole transaction, or a savepoint) is never sent."""
    following.watch(user("jlehmann"), WatchTarget.TAG, "zurueckgerollt")
    db.session.commit()
    create_practice(None, practice_data(slug="zurueckgerollt", tags=["zurueckgerollt"]))
    db.session.flush()
    db.session.rollback()
    with db.session.begin_nested():
        create_practice(None, practice_data(slug="im-savepoint-behalten"))
    savepoint = db.session.begin_nested()
    create_practice(None, practice_data(slug="im-savepoint-verworfen"))
    savepoint.rollback()
    db.session.commit()
    assert [item for item in heard if item != "commit"] == [("event", "im-savepoint-behalten", False)]
    assert _notified("jlehmann") == []


def test_a_failing_subscriber_rolls_back_only_its_own_work(session):
    """Rule: an exception in a notification handler neither undoes the saved practice nor stops the
    other subscribers (the watcher is still notified)."""
    made: list[int] = []

    def broken(practice: Practice, **_: Any) -> None:
        db.session.add(Notification(user=user("tbauer"), practice=practice, reason="broken", because="x"))
        made.append(practice.id)
        raise RuntimeError("subscriber bug")

    following.watch(user("jlehmann"), WatchTarget.TAG, "robust")
    events.practice_saved.connect(broken)
    try:
        practice = create_practice(
            None, practice_data(slug="trotz-fehler", title="Trotz Fehler", tags=["robust"])
        )
        db.session.commit()
    finally:
        events.practice_saved.disconnect(broken)
    assert made == [practice.id]
    assert db.session.scalars(sa.select(Practice.slug).where(Practice.slug == "trotz-fehler")).one()
    assert _notified("jlehmann") == [("Trotz Fehler", "tag:robust")]
    assert _notified("tbauer") == []  # the broken receiver's own writes are rolled back


def test_the_saved_search_probe_sees_the_committed_practice(session, tmp_path: Path):
    """Rule: no saved-search probe runs inside the write transaction. An import writes a practice's
    experience reports after its revision; a probe made inside the transaction missed the words of
    their notes, the probe after the commit sees the whole practice."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    source = (content / "practices" / "auftragsannahme-containerdienst.md").read_text("utf-8")
    copy = source.replace("slug: auftragsannahme-containerdienst", "slug: quirl-import", 1)
    copy = copy.replace("title: Digitale Auftragsannahme", "title: Quirlige Auftragsannahme", 1)
    copy = copy.replace("war der wichtigste Teil", "war mit der Quirlmaschine der wichtigste Teil", 1)
    (content / "practices" / "quirl-import.md").write_text(copy, "utf-8")
    following.watch(user("jlehmann"), WatchTarget.SEARCH, "q=Quirlmaschine")
    db.session.commit()
    import_folder(content)
    assert _notified("jlehmann") == [
        ("Quirlige Auftragsannahme in einem Containerdienst", "search:q=Quirlmaschine")
    ]


def test_an_import_sends_one_event_for_all_its_practices(session, heard, tmp_path: Path):
    """Rule: an import announces its practices in one ``practices_imported`` event after the commit,
    not one ``practice_saved`` each (each receiver's commit would expire the whole session: an
    import of 50,000 slowed down quadratically); watchers are still told of each practice."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    source = (content / "practices" / "auftragsannahme-containerdienst.md").read_text("utf-8")
    copy = source.replace("slug: auftragsannahme-containerdienst", "slug: sammel-import", 1)
    copy = copy.replace("title: Digitale Auftragsannahme", "title: Gesammelte Auftragsannahme", 1)
    (content / "practices" / "sammel-import.md").write_text(copy, "utf-8")
    imported: list[list[tuple[int, bool]]] = []

    def receiver(_sender: Any, *, saved: list[tuple[int, bool]], **_: Any) -> None:
        imported.append(saved)

    following.watch(user("jlehmann"), WatchTarget.PRACTICE, "0")  # someone watches something
    db.session.commit()
    events.practices_imported.connect(receiver)
    try:
        import_folder(content)
    finally:
        events.practices_imported.disconnect(receiver)
    assert [item for item in heard if item != "commit"] == []  # no practice_saved per practice
    assert len(imported) == 1
    new = db.session.scalars(sa.select(Practice.id).where(Practice.slug == "sammel-import")).one()
    assert (new, False) in imported[0]
