"""Atom feeds: valid Atom, newest first, only published public practices, linked from the pages."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from hub.collections import operations
from hub.extensions import db
from tests.factories import make_practice, user

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    ("/feeds/practices.atom", "/practices/"),
    ("/feeds/sectors/C.atom", "/sectors/C"),
    ("/feeds/topics/kuenstliche-intelligenz.atom", "/topics/kuenstliche-intelligenz"),
    ("/feeds/tags/sprachmodell.atom", "/tags/sprachmodell"),
    ("/feeds/collections/ki-einstieg-handwerk.atom", "/collections/ki-einstieg-handwerk"),
]


def _assert_valid_atom(xml: bytes) -> etree._Element:
    """The RFC 4287 must-haves: feed id/title/updated/author, each entry id/title/updated/link."""
    root = etree.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert links and links[0].get("href").startswith("http://localhost/practices/")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root


@pytest.mark.parametrize(("feed", "page"), FEEDS)
def test_feeds_are_valid_atom_and_linked_from_their_page(client, session, feed, page):
    response = client.get(feed)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = _assert_valid_atom(response.data)
    assert len(list(root.iter(f"{ATOM}entry"))) > 0
    html = BeautifulSoup(client.get(page).get_data(as_text=True), "html.parser")
    assert html.select_one(f'link[rel="alternate"][type="application/atom+xml"][href="{feed}"]')
    assert html.select_one(f'a[href="{feed}"]')


def test_feed_holds_only_published_public_practices_newest_first(client, session):
    make_practice(title="Intern Albatros", sectors=["C"], visibility="internal")
    make_practice(title="Entwurf Albatros", sectors=["C"], status="draft")
    newest = make_practice(title="Neu und öffentlich", sectors=["C"], body="Siehe [[geheimer-albatros]].")
    make_practice(title="Geheimer Albatros", slug="geheimer-albatros", status="draft")
    parsed = feedparser.parse(client.get("/feeds/sectors/C.atom").data)
    titles = [e.title for e in parsed.entries]
    assert titles[0] == newest.title
    assert not any("Albatros" in t for t in titles)
    assert "Geheimer Albatros" not in parsed.entries[0].content[0].value
    assert all(e.updated_parsed for e in parsed.entries)
    updated = [e.updated_parsed for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)


def test_collection_feed_follows_collection_visibility(client, session):
    draft = make_practice(title="Entwurf in Sammlung", status="draft")
    collection = operations.create_collection(
        user("mkoch"), operations.CollectionData("Interne Sammlung", "interne-sammlung", "internal")
    )
    operations.add_practice(user("mkoch"), collection, draft)
    db.session.commit()
    assert client.get("/feeds/collections/interne-sammlung.atom").status_code == 404
    feed = feedparser.parse(client.get("/feeds/collections/ki-einstieg-handwerk.atom").data)
    assert "Entwurf in Sammlung" not in [e.title for e in feed.entries]


def test_unknown_feeds_are_404(client):
    for url in ("/feeds/sectors/Z.atom", "/feeds/topics/nichts.atom", "/feeds/tags/nichts.atom"):
        assert client.get(url).status_code == 404
