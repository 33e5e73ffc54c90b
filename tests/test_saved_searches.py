"""Saved searches: in collections (page, form, feed), the search feed, following a search."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.auth.permissions import PermissionDenied
from hub.collections import operations as collections
from hub.extensions import db
from hub.following import operations as following
from hub.following.digest import send_digests
from hub.models import Collection, Notification, WatchTarget
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.probe import PracticeProbe
from tests.factories import make_practice, user
from tests.support import csrf_token
from tests.test_api_writes import _auth
from tests.test_feeds import _assert_valid_atom

SLUG = "ki-einstieg-handwerk"
SEARCH = SavedSearch.of("Zauberkessel", {"sector": ["F"]})
KEY = "q=Zauberkessel&sector=F"


def _collection(slug: str = SLUG) -> Collection:
    return db.session.scalars(sa.select(Collection).where(Collection.slug == slug)).one()


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _corpus() -> dict[str, object]:
    """Practices around the word "Zauberkessel": two public matches, and ones that must not show."""
    return {
        "new": make_practice(title="Zauberkessel im Handwerk", sectors=["F"]),
        "old": make_practice(title="Zauberkessel von früher", sectors=["F"], published=date(2020, 1, 1)),
        "internal": make_practice(
            title="Zauberkessel intern", sectors=["F"], visibility="internal", published=date(2023, 1, 1)
        ),
        "draft": make_practice(
            title="Zauberkessel Entwurf", sectors=["F"], status="draft", centre="zz-thueringen"
        ),
        "other": make_practice(title="Zauberkessel in der Pflege", sectors=["Q"]),
    }


def _notifications(username: str) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user(username).id).order_by(Notification.id)
    ).all()


# --- the saved search itself -----------------------------------------------------------------------
def test_canonical_form_is_normalised_and_ordered():
    saved = SavedSearch.of("  KI   Schulung ", {"tag": ["b", "a"], "sector": ["F", "C", "C"], "bogus": ["x"]})
    assert saved.key() == "q=KI+Schulung&sector=C&sector=F&tag=a&tag=b"
    assert SavedSearch.from_key(saved.key()) == saved
    assert saved.front_matter() == {"q": "KI Schulung", "sector": ["C", "F"], "tag": ["a", "b"]}
    assert SavedSearch.of("", {"sector": [""]}).empty
    assert SavedSearch.stored(None, None) is None


def test_saved_search_is_checked_against_the_vocabulary_and_permissions(session):
    collection = _collection()
    with pytest.raises(collections.InvalidSavedSearch) as error:
        collections.set_saved_search(
            user("mkoch"), collection, SavedSearch.of("", {"topic": ["gibt-es-nicht"], "sector": ["Z"]})
        )
    assert set(error.value.problems) == {"topic", "sector"}
    with pytest.raises(PermissionDenied):  # a reader curates nothing
        collections.set_saved_search(user("jlehmann"), collection, SEARCH)


# --- the collection page ---------------------------------------------------------------------------
def test_collection_appends_matches_after_the_curated_items_without_duplicates(client, session, login_as):
    found = _corpus()
    collection = _collection()
    collections.set_saved_search(user("mkoch"), collection, SEARCH)
    collections.add_practice(user("mkoch"), collection, found["old"])  # curated: not appended again
    db.session.commit()

    page = _soup(client.get(f"/collections/{SLUG}"))
    curated = [a.text for a in page.select("ol.collection-items")[0].select(".card-title a")]
    assert curated[-1] == "Zauberkessel von früher"
    section = page.select_one("section.saved-search-items")
    assert "Automatisch ergänzt (gespeicherte Suche: „Zauberkessel“" in section.h2.text
    assert [a.text for a in section.select(".card-title a")] == ["Zauberkessel im Handwerk"]
    assert section.select_one(f'a[href="/search?{KEY}"]')
    assert "höchstens 50" in section.text

    login_as("jlehmann")  # members also see the internal match, newest first
    section = _soup(client.get(f"/collections/{SLUG}")).select_one("section.saved-search-items")
    assert [a.text for a in section.select(".card-title a")] == [
        "Zauberkessel im Handwerk",
        "Zauberkessel intern",
    ]


def test_collection_without_saved_search_has_no_appended_part(client, session):
    assert _soup(client.get(f"/collections/{SLUG}")).select_one("section.saved-search-items") is None


def test_edit_form_sets_validates_and_clears_the_saved_search(client, session, login_as):
    login_as("mkoch")
    url = f"/collections/{SLUG}/edit"
    base = {"csrf_token": csrf_token(client, url), "title": "KI-Einstieg im Handwerk", "slug": SLUG,
            "visibility": "public", "intro": "Einleitung.", "centre": "zentrum-digitale-arbeit"}
    response = client.post(url, data={**base, "search_q": " Zauberkessel ", "search_sector": ["F", "C"],
                                      "search_outcome": "worked"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (_collection().search_query, _collection().search_filters) == (
        "Zauberkessel",
        {"sector": ["C", "F"], "outcome": ["worked"]},
    )
    form = _soup(client.get(url))
    assert [o["value"] for o in form.select("#search_sector option[selected]")] == ["C", "F"]
    assert form.select_one("#search_q")["value"] == "Zauberkessel"

    response = client.post(url, data={**base, "search_sector": ["Z"]})
    assert response.status_code == 422
    assert _soup(response).select_one("#search_sector-errors")
    db.session.expire_all()
    assert _collection().search_filters == {"sector": ["C", "F"], "outcome": ["worked"]}  # unchanged

    assert client.post(url, data={**base, "search_q": ""}).status_code == 302
    db.session.expire_all()
    assert (_collection().search_query, _collection().search_filters) == (None, None)
    del base["csrf_token"]
    assert client.post(url, data={**base, "search_q": "x"}).status_code == 400


# --- feeds -----------------------------------------------------------------------------------------
def test_collection_feed_holds_saved_search_matches_public_only(client, session):
    _corpus()
    collections.set_saved_search(user("mkoch"), _collection(), SEARCH)
    db.session.commit()
    titles = [e.title for e in feedparser.parse(client.get(f"/feeds/collections/{SLUG}.atom").data).entries]
    assert {"Zauberkessel im Handwerk", "Zauberkessel von früher"} <= set(titles)
    assert not {"Zauberkessel intern", "Zauberkessel Entwurf", "Zauberkessel in der Pflege"} & set(titles)


def test_search_feed_is_public_newest_first_and_linked_from_the_search_page(client, session, login_as):
    _corpus()
    login_as("mkoch")  # the feed is public whoever asks
    response = client.get("/feeds/search.atom?sector=F&q=Zauberkessel&sort=relevance&page=2")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = _assert_valid_atom(response.data)
    parsed = feedparser.parse(response.data)
    assert [e.title for e in parsed.entries] == ["Zauberkessel im Handwerk", "Zauberkessel von früher"]
    self_link = root.find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
    assert self_link == f"http://localhost/feeds/search.atom?{KEY}"
    page = _soup(client.get("/search?q=Zauberkessel&sector=F"))
    assert page.select_one(
        f'link[rel="alternate"][type="application/atom+xml"][href="/feeds/search.atom?{KEY}"]'
    )
    assert page.select_one(f'a[href="/feeds/search.atom?{KEY}"]')


# --- following a search ----------------------------------------------------------------------------
def test_follow_and_unfollow_a_search_from_the_search_page(client, session, login_as):
    assert _soup(client.get(f"/search?{KEY}")).select_one("form.watch-form") is None  # anonymous
    login_as("jlehmann")
    form = _soup(client.get("/search?sector=F&q=Zauberkessel&sort=newest")).select_one("form.watch-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input")}
    assert (fields["target"], fields["key"]) == ("search", KEY)
    assert client.post("/watch", data=fields).status_code == 302
    assert following.is_watching(user("jlehmann"), WatchTarget.SEARCH, KEY)
    profile = _soup(client.get("/profile"))
    link = profile.select_one(f'a[href="/search?{KEY}"]')
    assert link is not None and "Zauberkessel" in link.text
    assert client.post("/watch", data=fields).status_code == 302
    assert not following.is_watching(user("jlehmann"), WatchTarget.SEARCH, KEY)
    odd = {**fields, "key": "sector=F&q=Zauberkessel"}  # not the canonical form
    assert client.post("/watch", data=odd).status_code == 404


def test_search_watcher_is_notified_of_matching_published_practices_only(session):
    following.watch(user("jlehmann"), WatchTarget.SEARCH, KEY)
    found = _corpus()
    notes = _notifications("jlehmann")
    assert [(n.practice.title, n.reason, n.because) for n in notes] == [
        ("Zauberkessel im Handwerk", "published", f"search:{KEY}"),
        ("Zauberkessel von früher", "published", f"search:{KEY}"),
        ("Zauberkessel intern", "published", f"search:{KEY}"),  # members see internal practices
    ]
    assert found["draft"].id not in {n.practice_id for n in notes}  # another centre's draft: not visible


def test_probe_uses_the_search_rules_and_the_watchers_visibility(session):
    internal = make_practice(title="Schulungen mit dem Zauberkessel", sectors=["F"], visibility="internal")
    with PracticeProbe(internal) as probe:
        assert probe.matches(user("jlehmann"), SavedSearch.of("Schulung", {"sector": ["F"]}))  # inflection
        assert not probe.matches(None, SavedSearch.of("Schulung"))  # anonymous may not see it
        assert not probe.matches(user("jlehmann"), SavedSearch.of("Schulung", {"sector": ["C"]}))
        assert not probe.matches(user("jlehmann"), SavedSearch.of("Zauberkesel"))  # typos only when searching


def test_search_notifications_go_into_the_digest(app, session):
    reader = user("jlehmann")
    following.set_digest(reader, "daily")
    following.watch(reader, WatchTarget.SEARCH, KEY)
    make_practice(title="Zauberkessel im Handwerk", sectors=["F"])
    mail = Path(app.instance_path) / "mail"
    before = set(mail.glob("*.eml")) if mail.exists() else set()
    assert send_digests().notifications == 1
    (eml,) = set(mail.glob("*.eml")) - before
    assert "Zauberkessel im Handwerk" in eml.read_text("utf-8")


def test_collection_watcher_hears_of_practices_its_saved_search_newly_includes(session):
    collection = _collection()
    collections.set_saved_search(user("mkoch"), collection, SavedSearch.of("Zauberkessel"))
    following.watch(user("jlehmann"), WatchTarget.COLLECTION, str(collection.id))
    make_practice(title="Zauberkessel für alle")
    make_practice(title="Etwas ganz anderes")
    assert [(n.practice.title, n.because) for n in _notifications("jlehmann")] == [
        ("Zauberkessel für alle", f"collection:{collection.id}")
    ]


# --- demo hub and API ------------------------------------------------------------------------------
def test_demo_collection_appends_matches_of_its_saved_search(client, session, login_as):
    def appended() -> list[str]:
        page = _soup(client.get("/collections/digitale-pflege"))
        return [a.text for a in page.select_one("section.saved-search-items").select(".card-title a")]

    public = appended()
    assert "Der Digitalisierungs-Erstcheck für das erste Beratungsgespräch" in public
    assert "Tourenplanung im ambulanten Pflegedienst" not in public  # curated above, not repeated
    login_as("jlehmann")
    internal = "Warum Digitalisierungsprojekte in KMU scheitern – Muster aus dem Netzwerk"
    assert internal not in public and internal in appended()


def test_api_shows_the_saved_search_of_a_collection(client, session):
    collections.set_saved_search(user("mkoch"), _collection(), SEARCH)
    db.session.commit()
    body = client.get(f"/api/v1/collections/{SLUG}").get_json()
    assert body["saved_search"] == {
        "q": "Zauberkessel",
        "filters": {"sector": ["F"]},
        "search_url": f"http://localhost/search?{KEY}",
        "feed_url": f"http://localhost/feeds/search.atom?{KEY}",
    }
    listed = client.get("/api/v1/collections").get_json()["results"]
    assert [c["saved_search"] for c in listed if c["slug"] == "tourismus-gastgewerbe"] == [None]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "saved_search" in spec["components"]["schemas"]["Collection"]["required"]


def test_api_sets_keeps_validates_and_removes_the_saved_search(client, session):
    headers = _auth("mkoch")  # coordinator
    body = {"title": "Zauberkessel-Sammlung", "visibility": "public",
            "saved_search": {"q": "Zauberkessel", "filters": {"sector": ["F"]}}}
    created = client.post("/api/v1/collections", headers=headers, json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["saved_search"]["search_url"] == f"http://localhost/search?{KEY}"
    assert SavedSearch.stored(_collection("zauberkessel-sammlung").search_query,
                              _collection("zauberkessel-sammlung").search_filters) == SEARCH

    url = "/api/v1/collections/zauberkessel-sammlung"
    kept = client.put(url, headers=headers, json={"title": "Zauberkessel", "visibility": "public"})
    assert kept.get_json()["saved_search"]["q"] == "Zauberkessel"  # left out: unchanged

    bad = {"q": "x", "filters": {"sector": ["Z"], "colour": ["rot"]}}
    refused = client.put(url, headers=headers, json={**body, "saved_search": bad})
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert "saved_search.sector" in errors and "saved_search.filters" in errors
    assert client.put(url, headers=headers, json={**body, "saved_search": {}}).status_code == 422
    assert client.get(url).get_json()["saved_search"]["filters"] == {"sector": ["F"]}  # nothing changed

    removed = client.put(url, headers=headers, json={**body, "saved_search": None})
    assert removed.status_code == 200 and removed.get_json()["saved_search"] is None
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "saved_search" in spec["CollectionInput"]["properties"] and "SavedSearchInput" in spec
