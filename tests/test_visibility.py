"""Visibility matrix: each role × each status/visibility × each page that lists or shows practices.

A hidden practice must not leak through any page: detail, history, lists, start page, centre /
sector / topic / tag pages, tag counts, collections, typed links, backlinks or ``[[links]]``.
"""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.extensions import db
from hub.models import Collection, CollectionItem, Practice, practice_sectors
from hub.practices.data import RelatedLink
from hub.practices.operations import practice_data, update_practice
from hub.practices.queries import count_by
from hub.vocabulary import Visibility
from tests.factories import make_practice
from tests.support import login

STATUSES = ["draft", "review", "published", "archived"]
VISIBILITIES = ["public", "internal"]
# role name -> demo account (None: anonymous). The hidden practice belongs to zz-thueringen and is
# written by kwagner (a contributor of another centre).
ROLES = {
    "anonymous": None,
    "reader": "jlehmann",
    "contributor-same-centre": "aschmidt",
    "contributor-other-centre": "tbauer",
    "author-other-centre": "kwagner",
    "coordinator": "mkoch",
    "admin": "admin",
}
INSIDERS = {"contributor-same-centre", "author-other-centre", "coordinator", "admin"}


def may_open(role: str, status: str, visibility: str) -> bool:
    if role in INSIDERS:
        return True
    if status not in ("published", "archived"):
        return False
    return visibility == "public" or role != "anonymous"


def may_list(role: str, status: str, visibility: str) -> bool:
    return status == "published" and may_open(role, status, visibility)


@pytest.mark.parametrize(("status", "visibility"), list(itertools.product(STATUSES, VISIBILITIES)))
@pytest.mark.parametrize("role", list(ROLES))
def test_visibility_matrix(client, session, role, status, visibility):
    title = f"Matrixpraxis {status} {visibility} Zebrafink"
    pointer = make_practice(title="Wegweiser", slug="wegweiser", body="Siehe [[matrix-ziel]].")
    target = make_practice(
        title=title,
        slug="matrix-ziel",
        centre="zz-thueringen",
        authors=["kwagner"],
        sectors=["U"],
        sizes=["medium"],
        topics=["interessenvertretung-selbststaendiger"],
        tags=["matrix-zebrafink"],
        status=status,
        visibility=visibility,
        related=[RelatedLink("wegweiser", "builds-on")],
    )

    data = practice_data(pointer)
    data.related = [RelatedLink("matrix-ziel", "see-also")]
    update_practice(None, pointer, data)
    collection = Collection(slug="matrix-sammlung", title="Matrix-Sammlung", visibility=Visibility.PUBLIC)
    collection.items.append(CollectionItem(practice_id=target.id, position=0))
    db.session.add(collection)
    db.session.commit()

    if ROLES[role]:
        assert login(client, ROLES[role]).status_code == 302

    opened = may_open(role, status, visibility)
    listed = may_list(role, status, visibility)

    detail = client.get("/practices/matrix-ziel")
    assert detail.status_code == (200 if opened else 404)
    assert (title in detail.get_data(as_text=True)) is opened
    history = client.get("/practices/matrix-ziel/history")
    assert history.status_code == (200 if opened else 404)

    pages = {
        "list": "/practices/",
        "list-filtered": "/practices/?sector=U",
        "list-query": "/practices/?q=zebrafink",
        "start": "/",
        "centre": "/centres/zz-thueringen",
        "sector": "/sectors/U",
        "topic": "/topics/interessenvertretung-selbststaendiger",
        "tag": "/tags/matrix-zebrafink",
        "collection": "/collections/matrix-sammlung",
    }
    for name, url in pages.items():
        html = client.get(url).get_data(as_text=True)
        assert (title in html) is listed, f"{name}: expected listed={listed}"
    tags = client.get("/tags/").get_data(as_text=True)
    assert ("matrix-zebrafink" in tags) is listed, "tag counts"

    wegweiser = BeautifulSoup(client.get("/practices/wegweiser").get_data(as_text=True), "html.parser")
    related = wegweiser.select_one("#related-links")
    assert (related is not None and title in related.get_text()) is opened, "typed link"
    wikilink = wegweiser.select_one(".practice-body a.wikilink, .practice-body .missing-link")
    assert (wikilink.name == "a" and title in wikilink.get_text()) is opened, "[[link]]"
    # The backlink ("used by") appears when the linking practice may be seen and is not archived.
    backlinks = wegweiser.select_one("#backlinks")
    backlinked = opened and status != "archived"
    assert (backlinks is not None and title in backlinks.get_text()) is backlinked, "backlink"
    assert title not in str(wegweiser) or opened


def test_counts_follow_visibility(client, session):
    """The sector overview counts only what the reader may see."""
    make_practice(sectors=["U"], visibility="internal")
    make_practice(sectors=["U"], status="draft", centre="zz-thueringen")
    anonymous = count_by(None, practice_sectors.c.sector_code, practice_sectors).get("U", 0)
    expected = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Practice.id)))
        .join(practice_sectors)
        .where(
            practice_sectors.c.sector_code == "U",
            Practice.status == "published",
            Practice.visibility == "public",
        )
    )
    assert anonymous == expected
    page = client.get("/sectors/").get_data(as_text=True)
    assert "Exterritoriale Organisationen" in page
