"""The reading pages: start page, list with filters and pagination, practice page, taxonomy pages."""

from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.extensions import db
from hub.models import Practice, Sector
from hub.practices.data import Experience, RelatedLink
from hub.practices.operations import replace_experiences
from tests.factories import make_practice


def _soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _public_published() -> sa.Select:
    return sa.select(Practice).where(Practice.status == "published", Practice.visibility == "public")


def test_start_page_lists_newest_sectors_and_collections(client, session):
    soup = _soup(client, "/")
    assert soup.html["lang"] == "de"
    newest = db.session.scalars(_public_published().order_by(Practice.published.desc()).limit(1)).one()
    assert newest.title in soup.select_one(".home-newest").get_text()
    assert soup.select(".sector-list li")
    assert soup.select(".collection-list a")


def test_list_filters_combine(client, session):
    for params in (
        "sector=C",
        "sector=C&size=small",
        "kind=lesson-learned&outcome=failed",
        "topic=kuenstliche-intelligenz",
    ):
        soup = _soup(client, f"/practices/?{params}")
        titles = {a.get_text() for a in soup.select(".card-title a")}
        query = _public_published()
        args = dict(p.split("=") for p in params.split("&"))
        if "sector" in args:
            query = query.where(Practice.sectors.any(Sector.code == args["sector"]))
        if "size" in args:
            query = query.where(Practice.sizes.any(code=args["size"]))
        if "kind" in args:
            query = query.where(Practice.kind == args["kind"])
        if "outcome" in args:
            query = query.where(Practice.outcome_result == args["outcome"])
        if "topic" in args:
            query = query.where(Practice.topics.any(slug=args["topic"]))
        expected = {p.title for p in db.session.scalars(query)}
        assert expected, params
        assert titles == expected, params


def test_list_is_paginated(client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 5)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(_public_published().subquery()))
    first = _soup(client, "/practices/")
    assert len(first.select(".card")) == 5
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/practices/?page=2"
    last = _soup(client, f"/practices/?page={(total + 4) // 5}")
    assert 1 <= len(last.select(".card")) <= 5
    assert _soup(client, "/practices/?page=999").select(".card") == []


def test_practice_page_shows_metadata_outcome_links_and_experiences(client, session):
    make_practice(title="Grundlage", slug="grundlage")
    make_practice(
        title="Aufbauende Praxis",
        slug="aufbauend",
        body="Wir bauen auf [[grundlage]] auf.",
        related=[RelatedLink("grundlage", "builds-on")],
        tags=["schichtplanung"],
        experiences=[],
    )

    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == "grundlage")).one()
    replace_experiences(
        practice,
        [
            Experience(
                "zz-thueringen", "C", "small", "worked", __import__("datetime").date(2025, 3, 1), "Lief gut."
            ),
            Experience(
                "zz-brandenburg", "C", "micro", "failed", __import__("datetime").date(2025, 4, 1), "Zu teuer."
            ),
        ],
    )
    db.session.commit()

    page = _soup(client, "/practices/aufbauend")
    assert page.select_one("#related-links").get_text().count("Grundlage") == 1
    assert "Baut auf" in page.select_one("#related-links").get_text()
    assert page.select_one(".practice-body a.wikilink")["href"] == "/practices/grundlage"
    assert page.select_one('a[href="/tags/schichtplanung"]')

    target = _soup(client, "/practices/grundlage")
    assert "Aufbauende Praxis" in target.select_one("#backlinks").get_text()
    summary = target.select_one(".summary-table").get_text(" ", strip=True)
    assert "C – Verarbeitendes Gewerbe 1 0 1" in summary
    assert "Lief gut." in target.get_text() and "Zu teuer." in target.get_text()
    assert target.select_one('a[href="/practices/grundlage/history"]')


def test_archived_practice_is_reachable_with_a_notice_but_not_listed(client, session):
    make_practice(title="Altes Verfahren", slug="altes-verfahren", status="archived")
    page = _soup(client, "/practices/altes-verfahren")
    assert page.select_one(".notice-archived")
    assert "Altes Verfahren" not in _soup(client, "/practices/").get_text()


def test_demo_practice_renders_with_tables_and_history(client, session):
    practice = db.session.scalars(_public_published().where(Practice.body.contains("| ---"))).first()
    assert practice is not None, "the demo corpus should contain Markdown tables"
    page = _soup(client, f"/practices/{practice.slug}")
    assert page.select(".practice-body table")
    history = _soup(client, f"/practices/{practice.slug}/history")
    assert history.select("tbody tr")


def test_taxonomy_pages(client, session):
    for url in (
        "/centres/",
        "/sectors/",
        "/topics/",
        "/tags/",
        "/collections/",
        "/centres/zz-thueringen",
        "/sectors/C",
        "/sectors/c",
        "/topics/kuenstliche-intelligenz",
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        "/centres/nirgendwo",
        "/sectors/Z",
        "/topics/nichts",
        "/tags/gibt-es-nicht",
        "/collections/nichts",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_error_pages_share_the_layout(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one("header.site-header") and soup.select_one("footer.site-footer")


def test_internal_server_error_page(other_app, tmp_path):
    app = other_app(tmp_path)

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Etwas ist schiefgelaufen" in html and "RuntimeError" not in html


def test_absurd_page_numbers_do_not_break_lists(client, session):
    for url in ("/practices/?page=1152921504606846977", "/practices/?page=-5", "/sectors/C?page=99999999999999999999"):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/practices?page=1152921504606846977").status_code == 400
