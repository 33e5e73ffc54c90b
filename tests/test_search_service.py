"""The search service: the one interface of ``hub/search``, and what it guarantees to readers.

Security rules of issue 11 pinned here: hits are checked against the database (11), suggestions and
scores do not reveal hidden practices (12), anonymous searching has a bounded cost (14).
"""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import Practice, SearchLogEntry
from hub.models._types import utcnow
from hub.search import SearchRequest, search_service
from hub.search import caches as search_caches
from hub.search.sync import get_index
from hub.vocabulary import Status
from tests.search_helpers import copy_practice, practice, run, slugs
from tests.support import login

HUB = Path(__file__).resolve().parents[1] / "hub"
# Composition roots: the app's URL table registers the search page's blueprint, the `hub` command
# group invokes `hub index rebuild` after a restore. Nothing else reaches inside hub/search.
WIRING = {"hub/web.py": {"hub.search.views"}, "hub/cli.py": {"hub.search.cli"}}


def _hide_behind_the_index(slug: str) -> None:
    """Withdraw a practice in the database only (no outbox row): the index still shows it, as an
    index lagging behind a write would."""
    db.session.execute(sa.update(Practice).where(Practice.slug == slug).values(status=Status.DRAFT))
    db.session.commit()


def test_no_module_outside_search_imports_its_internals():
    """Rule (issue 12, one search interface): outside ``hub/search`` only the package itself is
    imported (``from hub.search import …``), never ``hub.search.query/sync/index/listing/views``."""
    internals = {path.stem for path in (HUB / "search").glob("*.py")} - {"__init__"}
    offenders = []
    for path in sorted(HUB.rglob("*.py")):
        relative = path.relative_to(HUB.parent).as_posix()
        if relative.startswith("hub/search/"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                inside = parts[:2] == ["hub", "search"] and len(parts) > 2 and parts[2] in internals
                if inside and ".".join(parts[:3]) not in WIRING.get(relative, set()):
                    offenders.append(f"{relative}:{node.lineno} {name}")
    assert offenders == []


def test_the_service_is_registered_on_the_app(app):
    """Rule (issue 12): one service object per app, the index and its caches declared on it."""
    service = search_service(app)
    assert app.extensions["search"] is service and service.index is get_index(app)
    with app.test_request_context():
        service.sync_if_stale()
        found = service.find(None, SearchRequest(q="Tourenplanung"))
    assert "tourenplanung-pflegedienst" in [hit.card["slug"] for hit in found.hits]


def test_search_page_and_api_never_show_a_practice_the_database_hides(client):
    """Issue 11 item 11: the page's hits are checked against the database before their titles and
    snippets are served; a practice hidden a moment ago but still in a lagging index is not shown."""
    def found() -> list[str]:
        return [hit["slug"] for hit in client.get("/api/v1/search?q=Tourenplanung").get_json()["results"]]

    assert "tourenplanung-pflegedienst" in found()
    _hide_behind_the_index("tourenplanung-pflegedienst")
    assert "tourenplanung-pflegedienst" in slugs(run("Tourenplanung"))  # the index still has it
    assert found() == ["tourenplanung-spedition"]
    page = client.get("/search?q=Tourenplanung").get_data(as_text=True)
    assert "/practices/tourenplanung-pflegedienst" not in page and "/practices/tourenplanung-spedition" in page


def test_similar_practices_never_show_a_practice_the_database_hides(session):
    """Issue 11 item 11, for the "similar practices" cards of a practice page."""
    source = practice("tourenplanung-pflegedienst")
    cards = search_service().similar(None, source.id)
    assert cards
    hidden = cards[0]["slug"]
    _hide_behind_the_index(hidden)
    assert hidden not in [card["slug"] for card in search_service().similar(None, source.id)]


def test_did_you_mean_is_not_changed_by_a_hidden_draft(client, session):
    """Issue 11 item 12: "Meinten Sie" is computed over what the reader may find. A draft that
    contains the misspelt word does not make the word "known" for anonymous readers."""
    assert client.get("/api/v1/search?q=Schichtplnung").get_json()["suggestion"] == "Schichtplanung"
    draft = copy_practice("hofladen-digital", "geheimer-entwurf", "Schichtplnung im Entwurf", status="draft")
    assert draft.status == Status.DRAFT
    db.session.commit()  # the index follows the outbox after the commit
    assert "geheimer-entwurf" in slugs(run("Schichtplnung", "admin", statuses=["draft"]))
    assert client.get("/api/v1/search?q=Schichtplnung").get_json()["suggestion"] == "Schichtplanung"
    assert client.get("/search?q=Schichtplnung").get_data(as_text=True).count("Schichtplanung") >= 1


def test_scores_only_for_readers_who_see_every_practice(app, client, login_as):
    """Issue 11 item 12: relevance scores depend on every document in the index (term statistics),
    so only coordinators and admins get them; anonymous readers and members do not."""
    anonymous = client.get("/api/v1/search?q=Tourenplanung").get_json()["results"][0]
    assert "score" not in anonymous
    member = login_as("jlehmann").get("/api/v1/search?q=Tourenplanung").get_json()["results"][0]
    assert "score" not in member
    other = app.test_client()
    assert login(other, "mkoch").status_code == 302
    coordinator = other.get("/api/v1/search?q=Tourenplanung").get_json()["results"][0]
    assert coordinator["score"] > 0


def test_anonymous_searches_are_limited_per_address(app, client, monkeypatch, login_as):
    """Issue 11 item 14: at most ``SEARCH_ANONYMOUS_PER_MINUTE`` anonymous searches with words per
    client address and minute; beyond it 429 with Retry-After (page and API), other addresses and
    members are not affected."""
    monkeypatch.setitem(app.config, "SEARCH_ANONYMOUS_PER_MINUTE", 3)
    address = {"REMOTE_ADDR": "203.0.113.9"}
    codes = [client.get(f"/search?q=Wort{i}", environ_base=address).status_code for i in range(7)]
    # Three per minute; even across a minute's boundary the limit answers within seven.
    assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
    limited = client.get("/search?q=Pilot", environ_base=address)
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60
    assert "Zu viele Anfragen" in limited.get_data(as_text=True)
    problem = client.get("/api/v1/search?q=Pilot", environ_base=address)
    assert problem.status_code == 429 and problem.mimetype == "application/problem+json"
    assert problem.headers["Retry-After"]
    assert client.get("/search?q=Pilot", environ_base={"REMOTE_ADDR": "203.0.113.10"}).status_code == 200
    assert client.get("/search", environ_base=address).status_code == 200  # browsing without words
    member = login_as("jlehmann")
    assert all(member.get(f"/search?q=Wort{i}", environ_base=address).status_code == 200 for i in range(5))


def test_typo_variants_cache_is_bounded(session, monkeypatch):
    """Issue 11 item 14: the typo-variant cache keeps at most its size (least recently used go)."""
    monkeypatch.setattr(search_caches, "VARIANTS_CACHED", 5)
    get_index().close()  # a new searcher, with caches of the patched size
    for word in ["Schichtplnung", "Tourenplanug", "Datenshutz", "Zeiterfasung", "Warenwirtschat",
                 "Kundenverwaltnug", "Lernplatform", "Videokonferenzz"]:
        run(word)
    variants = get_index().caches.variants
    assert 0 < len(variants) <= 5
    assert run("Tourenplanug").fuzzy  # searching still finds typos


def test_search_log_is_pruned_after_the_retention_period(app, session):
    """Issue 11 item 14: ``hub searchlog prune`` deletes entries older than
    ``SEARCH_LOG_RETENTION_DAYS`` (default 180) and keeps newer ones."""
    assert app.config["SEARCH_LOG_RETENTION_DAYS"] == 180
    now = utcnow()
    for days, query in [(400, "uralt"), (181, "alt"), (179, "frisch"), (10, "neu")]:
        db.session.add(SearchLogEntry(query=query, at=now - timedelta(days=days)))
    db.session.commit()

    def kept() -> set[str]:
        return set(db.session.scalars(sa.select(SearchLogEntry.query).where(
            SearchLogEntry.query.in_(["uralt", "alt", "frisch", "neu"]))))

    result = app.test_cli_runner().invoke(args=["searchlog", "prune"])
    assert result.exit_code == 0, result.output
    assert "2 entries older than 180 days deleted" in result.output
    assert kept() == {"frisch", "neu"}
    assert app.test_cli_runner().invoke(args=["searchlog", "prune", "--days", "30"]).exit_code == 0
    assert kept() == {"neu"}


@pytest.mark.parametrize("path", ["hub/api/search.py", "hub/saved_searches/labels.py"])
def test_domain_and_api_modules_do_not_import_search_views(path):
    """Issue 12: the JSON endpoint lives in hub/api, facet titles and labels in a non-view module."""
    tree = ast.parse((HUB.parent / path).read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "hub.search.views" not in imported and "hub.search" in imported
