"""Issue 13 rule 6: feeds and a collection's saved-search part hold at most 50 practices, the newest."""

from __future__ import annotations

import re
from datetime import date, timedelta

import feedparser
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.collections import operations as collections
from hub.collections.operations import CollectionData
from hub.extensions import db
from hub.models import Practice
from hub.practices.operations import create_practice
from hub.saved_searches.criteria import SavedSearch
from tests.factories import practice_data, user

COUNT = 55  # more than the cap of 50
FEEDS = ["/feeds/practices.atom", "/feeds/sectors/F.atom", "/feeds/topics/fachkraeftesicherung.atom",
         "/feeds/tags/kappungsprobe.atom", "/feeds/search.atom?q=Kappungsprobe",
         "/feeds/collections/kappung.atom"]


def _titles(n: int) -> list[str]:
    return [f"Kappungsprobe {i:02d}" for i in range(n)]


def _corpus() -> None:
    """55 published public practices, one published a day after the other (``Kappungsprobe 54`` is
    the newest), and a collection curating the oldest with a saved search for all of them."""
    for i, title in enumerate(_titles(COUNT)):
        create_practice(None, practice_data(title=title, slug=f"kappungsprobe-{i:02d}", sectors=["F"],
                                            topics=["fachkraeftesicherung"], tags=["kappungsprobe"],
                                            published=date(2021, 1, 1) + timedelta(days=i)))
    db.session.commit()
    mkoch = user("mkoch")
    collection = collections.create_collection(mkoch, CollectionData(title="Kappung", slug="kappung",
                                                                     visibility="public"))
    collections.set_saved_search(mkoch, collection, SavedSearch.of("Kappungsprobe"))
    oldest = db.session.scalars(sa.select(Practice).where(Practice.slug == "kappungsprobe-00")).one()
    collections.add_practice(mkoch, collection, oldest)
    db.session.commit()


def test_feeds_hold_at_most_50_practices(client, session):
    """Pins issue-13 rule 6 (feeds): every feed — all, sector, topic, tag, search, collection with its
    saved search — has at most 50 entries when more practices qualify; the search feed the 50 newest
    by publication date, newest first."""
    _corpus()
    for url in FEEDS:
        entries = feedparser.parse(client.get(url).data).entries
        assert len(entries) == 50, url
    search = feedparser.parse(client.get("/feeds/search.atom?q=Kappungsprobe").data).entries
    assert [e.title for e in search] == _titles(COUNT)[::-1][:50]


def test_collection_saved_search_part_holds_at_most_50(client, session):
    """Pins issue-13 rule 6 (collections): the saved-search part of a collection page shows at most 50
    matches, the newest, without the curated ones, and says how many there are in all."""
    _corpus()
    soup = BeautifulSoup(client.get("/collections/kappung").get_data(as_text=True), "html.parser")
    section = soup.select_one("section.saved-search-items")
    shown = [a.get_text(strip=True) for a in section.select(".card-title a")]
    assert shown == _titles(COUNT)[::-1][:50]  # 54 … 05; the curated 00 is above, not here
    text = section.get_text(" ", strip=True)
    assert "Hier werden nur die neuesten 50 angezeigt." in text
    total = int(re.search(r"Alle (\d+) Treffer auf der Suchseite", text).group(1))
    assert total >= 54  # the search page itself also lists the curated one: 55 there
