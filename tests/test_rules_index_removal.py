"""Issue 13 rule 10: hard delete, archive and a change back to draft, made through the operations,
reach the search index at once, and ``hub index check`` finds index and database in step."""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from hub.extensions import db
from hub.practices.operations import delete_practice
from hub.practices.workflow import transition
from hub.search.check import check_index
from hub.search.searching import SearchRequest, search
from hub.search.sync import get_index
from tests.factories import make_practice, user

EVERY_STATUS = ["draft", "review", "published", "archived"]


def _found(app, who, q: str, statuses: list[str] | None = None) -> list[str]:
    request = SearchRequest(q=q, statuses=statuses or [], per_page=100)
    return [hit.card["slug"] for hit in search(get_index(app), db.session, who, request, facets=False).hits]


def _index_check_is_clean(app) -> None:
    """What ``hub index check`` runs, on the test's session (the command opens its own, which cannot
    see the test's rolled-back transaction)."""
    report = check_index(get_index(app), db.session)
    assert report.ok, report.problems


def test_hard_delete_removes_the_practice_from_the_index(app, session):
    """Pins issue-13 rule 10 (delete): after ``delete_practice`` the index holds no document of it —
    not even for an admin asking for every status — and ``hub index check`` is clean."""
    practice = make_practice(title="Pfauenauge im Lager", slug="pfauenauge")
    admin = user("admin")
    assert _found(app, admin, "Pfauenauge", EVERY_STATUS) == ["pfauenauge"]
    delete_practice(admin, practice)
    db.session.commit()
    assert _found(app, admin, "Pfauenauge", EVERY_STATUS) == []
    assert _found(app, AnonymousUserMixin(), "Pfauenauge") == []
    _index_check_is_clean(app)


def test_archive_removes_the_practice_from_public_search_and_lists(app, client, session):
    """Pins issue-13 rule 10 (archive): an archived practice is gone from the anonymous and the
    members' search and from the practice list (both from the index), and the index agrees with the
    database."""
    practice = make_practice(title="Schillerfalter im Archiv", slug="schillerfalter")
    assert _found(app, AnonymousUserMixin(), "Schillerfalter") == ["schillerfalter"]
    transition(user("mkoch"), practice, "archive")
    db.session.commit()
    assert _found(app, AnonymousUserMixin(), "Schillerfalter") == []
    assert _found(app, user("jlehmann"), "Schillerfalter") == []
    assert "schillerfalter" not in client.get("/practices/?q=Schillerfalter").get_data(as_text=True)
    assert client.get("/api/v1/search?q=Schillerfalter").get_json()["total"] == 0
    assert _found(app, user("admin"), "Schillerfalter", ["archived"]) == ["schillerfalter"]
    _index_check_is_clean(app)


def test_back_to_draft_reaches_the_index(app, session):
    """Pins issue-13 rule 10 (back to draft): a practice sent back from review, and an archived one
    that was never published and comes back as a draft, are found as drafts — no longer in review
    or archived — and ``hub index check`` is clean."""
    coordinator = user("mkoch")
    reviewed = make_practice(
        title="Admiral in Prüfung", slug="admiral", status="review", centre="zz-thueringen"
    )
    assert _found(app, coordinator, "Admiral", ["review"]) == ["admiral"]
    transition(coordinator, reviewed, "send-back", "Bitte Quellen ergänzen.")
    db.session.commit()
    assert _found(app, coordinator, "Admiral", ["review"]) == []
    assert _found(app, coordinator, "Admiral", ["draft"]) == ["admiral"]

    archived = make_practice(title="Zitronenfalter Entwurf", slug="zitronenfalter", status="draft")
    transition(coordinator, archived, "archive")
    db.session.commit()
    assert _found(app, coordinator, "Zitronenfalter", ["archived"]) == ["zitronenfalter"]
    transition(coordinator, archived, "unarchive")
    db.session.commit()
    assert _found(app, coordinator, "Zitronenfalter", ["archived"]) == []
    assert _found(app, coordinator, "Zitronenfalter", ["draft"]) == ["zitronenfalter"]
    _index_check_is_clean(app)
