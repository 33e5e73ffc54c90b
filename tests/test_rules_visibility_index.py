"""Issue 13 rule 9: the visibility rule on every surface that runs through the search index — role ×
status × visibility, with counts and slugs: lists (page and API), search (page and API), facet
counts, suggestions, similar practices, feeds, a collection's saved search, saved searches,
notifications and digests."""

from __future__ import annotations

import itertools
from email import message_from_bytes
from pathlib import Path

import feedparser
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask_login import AnonymousUserMixin

from hub.collections import operations as collections
from hub.collections.operations import CollectionData
from hub.extensions import db
from hub.following import operations as following
from hub.following.digest import send_digests
from hub.models import Practice, WatchTarget
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.results import matching_practices
from hub.search.analysis import fold
from hub.search.similar import similar
from hub.search.sync import get_index
from tests.factories import make_practice, user
from tests.support import login
from tests.test_visibility import ROLES, STATUSES, VISIBILITIES, may_list, may_open

TEXT = "Zebrafink Vogelhaltung im Betrieb: Futterplan, Nistkasten, Gesang und Zebrafinkenzucht."
POINTER, TARGET = "zebrafink-wegweiser", "zebrafink-ziel"


def _api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_json()


def _slugs(data: dict) -> set[str]:
    return {hit["slug"] for hit in data["results"]}


def _sector_u(client) -> tuple[int, int, int]:
    """(list API total, search API total, search facet count) for sector U — all from the index."""
    listed = _api(client, "/api/v1/practices?sector=U")["total"]
    found = _api(client, "/api/v1/search?sector=U")
    return listed, found["total"], found["facets"]["sector"].get("U", 0)


@pytest.mark.parametrize(("status", "visibility"), list(itertools.product(STATUSES, VISIBILITIES)))
@pytest.mark.parametrize("role", list(ROLES))
def test_visibility_through_the_index(app, client, session, role, status, visibility):
    """Pins issue-13 rule 9: a practice of zz-thueringen (written by kwagner) in each status and
    visibility is counted and named by every index-driven surface exactly when the role may list it
    (published and visible), and notified and mailed exactly when it was published and visible."""
    username = ROLES[role]
    who = user(username) if username else AnonymousUserMixin()
    if username:
        assert login(client, username).status_code == 302
        following.watch(who, WatchTarget.TAG, "zebrafink-matrix")
        following.watch(who, WatchTarget.SEARCH, SavedSearch.of("Zebrafink").key())
        following.set_digest(who, "daily")
    before = _sector_u(client)
    make_practice(title="Zebrafink Wegweiser", slug=POINTER, sectors=["J"], summary=TEXT, body=TEXT)
    make_practice(
        title=f"Zebrafink Ziel {status} {visibility}", slug=TARGET, centre="zz-thueringen", authors=["kwagner"],
        sectors=["U"], sizes=["medium"], tags=["zebrafink-matrix"], summary=TEXT, body=TEXT + " Eine Zebrafinkenvoliere.", status=status,
        visibility=visibility,
    )
    mkoch = user("mkoch")
    collection = collections.create_collection(mkoch, CollectionData("Zebrafinken", "zebrafinken", "public"))
    collections.set_saved_search(mkoch, collection, SavedSearch.of("Zebrafink"))
    db.session.commit()

    listed = may_list(role, status, visibility)
    expected = {POINTER, TARGET} if listed else {POINTER}

    # lists and search through the index: slugs and totals
    for url in ("/api/v1/search?q=Zebrafink&per_page=100", "/api/v1/practices?q=Zebrafink&per_page=100"):
        data = _api(client, url)
        assert (_slugs(data), data["total"]) == (expected, len(expected)), url
    # asking the list for the target's status: drafts and reviews for insiders, archived for members
    may_ask = {"anonymous": {"published"}, "reader": {"published", "archived"}}.get(role, set(STATUSES))
    effective = {status} if status in may_ask else {"published"}
    data = _api(client, f"/api/v1/practices?q=Zebrafink&status={status}&per_page=100")
    asked = {TARGET} if status in effective and may_open(role, status, visibility) else set()
    asked |= {POINTER} if "published" in effective else set()
    assert (_slugs(data), data["total"]) == (asked, len(asked))
    for url in ("/search?q=Zebrafink", "/practices/?q=Zebrafink"):
        html = client.get(url).get_data(as_text=True)
        assert (f'/practices/{TARGET}"' in html) is listed, url
    # facet counts and totals of sector U (only the target is new there)
    gained = 1 if listed else 0
    assert _sector_u(client) == tuple(n + gained for n in before)
    facets = _api(client, "/api/v1/search?q=Zebrafink")["facets"]
    assert facets["sector"].get("U", 0) == gained and facets["sector"].get("J") == 1
    # suggestions never name a word only a hidden practice has
    suggestion = _api(client, "/api/v1/search?q=Zebrafinkenvolire")["suggestion"]
    if not listed:  # (only the target has "Zebrafinkenvoliere")
        assert "zebrafinkenvoliere" not in fold(suggestion or "")
    # similar practices of the pointer
    pointer = db.session.scalars(sa.select(Practice).where(Practice.slug == POINTER)).one()
    assert (TARGET in {card["slug"] for card in similar(get_index(app), who, pointer.id)}) is listed
    # a saved search run as the reader, and a collection's saved-search part
    assert {p.slug for p in matching_practices(who, SavedSearch.of("Zebrafink")).practices} == expected
    page = BeautifulSoup(client.get("/collections/zebrafinken").get_data(as_text=True), "html.parser")
    appended = page.select_one("section.saved-search-items")
    assert {a["href"].rsplit("/", 1)[-1] for a in appended.select(".card-title a")} == expected
    # feeds are anonymous, whoever asks: only published public practices
    entries = feedparser.parse(client.get("/feeds/search.atom?q=Zebrafink").data).entries
    public = status == "published" and visibility == "public"
    assert {e.link.rsplit("/", 1)[-1] for e in entries} == ({POINTER, TARGET} if public else {POINTER})
    # notifications (made when published, for those who may see it) and the digest
    if username:
        notified = status == "published" and may_open(role, status, visibility)
        shown = {n.practice.slug for n in following.visible_notifications(who)}
        assert shown == ({POINTER, TARGET} if notified else {POINTER})
        mail = Path(app.instance_path) / "mail"
        old = set(mail.glob("*.eml")) if mail.exists() else set()
        send_digests()
        (eml,) = [
            p
            for p in mail.glob("*.eml")
            if p not in old and message_from_bytes(p.read_bytes())["To"] == who.email
        ]
        body = message_from_bytes(eml.read_bytes()).get_payload(decode=True).decode("utf-8")
        assert (f"/practices/{TARGET}" in body) is notified
