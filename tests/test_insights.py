"""Evidence matrix and dashboard: figures equal independent SQL counts, CSV equals the page, access."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.extensions import db
from hub.insights import views
from hub.practices.data import Experience, Outcome
from hub.practices.operations import replace_experiences
from tests.factories import make_practice


def _sql(query: str, **params: object) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(query), params)]


def _table(html: str, caption_start: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    for table in soup.select("table"):
        if table.caption and table.caption.get_text(" ", strip=True).startswith(caption_start):
            rows = []
            for tr in table.select("tr"):
                cells = []
                for cell in tr.find_all(["th", "td"]):
                    hidden = cell.select_one(".visually-hidden")
                    cells.append(
                        "0" if "gap" in (cell.get("class") or []) else cell.get_text(" ", strip=True)
                    )
                    del hidden
                rows.append(cells)
            return rows
    raise AssertionError(f"no table {caption_start!r}")


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("url", ["/insights", "/insights/coverage-centres.csv"])
def test_dashboard_is_for_coordinators_and_admins_only(client, session, login_as, url):
    assert client.get(url).status_code == 302  # anonymous: the login page, never the data
    login_as("jlehmann")
    assert client.get(url).status_code == 403
    client.post("/logout")  # no CSRF → refused, still logged in as reader
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("username", ["mkoch", "admin"])
def test_coverage_equals_independent_sql_counts(client, session, login_as, username):
    login_as(username)
    html = client.get("/insights").get_data(as_text=True)
    table = _table(html, "Veröffentlichte Praxisbeispiele je Zentrum und Branche")
    header, rows = table[0], table[1:]
    expected = {
        (centre, sector): n
        for centre, sector, n in _sql(
            "SELECT c.name, ps.sector_code, COUNT(DISTINCT p.id) FROM practices p "
            "JOIN centres c ON c.id = p.centre_id JOIN practice_sectors ps ON ps.practice_id = p.id "
            "WHERE p.status = 'published' GROUP BY c.name, ps.sector_code"
        )
    }
    seen = {
        (row[0], header[i]): int(v)
        for row in rows
        for i, v in enumerate(row)
        if 0 < i < len(header) - 1 and int(v)
    }
    assert seen == expected
    assert _csv(client, "/insights/coverage-centres.csv") == table


def test_topic_gaps_outcomes_and_reuse_match_sql(client, session, login_as):
    login_as("mkoch")
    html = client.get("/insights").get_data(as_text=True)
    topics = _table(html, "Veröffentlichte Praxisbeispiele je Thema und Branche")
    expected = {
        (t, s): n
        for t, s, n in _sql(
            "SELECT t.name, ps.sector_code, COUNT(DISTINCT p.id) FROM practices p "
            "JOIN practice_topics pt ON pt.practice_id = p.id JOIN topics t ON t.id = pt.topic_id "
            "JOIN practice_sectors ps ON ps.practice_id = p.id WHERE p.status = 'published' GROUP BY t.name, ps.sector_code"
        )
    }
    header = topics[0]
    seen = {(row[0], header[i]): int(v) for row in topics[1:] for i, v in enumerate(row) if i and int(v)}
    assert seen == expected
    assert "gap" in html and BeautifulSoup(html, "html.parser").select(".gap-table td.gap")
    own = dict(_sql("SELECT COALESCE(outcome_result, 'none'), COUNT(*) FROM practices WHERE status = 'published' "
                    "GROUP BY COALESCE(outcome_result, 'none')"))
    outcome_rows = _csv(client, "/insights/outcomes.csv")[1:]
    assert [int(r[1]) for r in outcome_rows] == [
        own.get(k, 0) for k in ("worked", "partly", "failed", "none")
    ]
    reports = dict(_sql("SELECT e.result, COUNT(*) FROM experience_reports e JOIN practices p ON p.id = e.practice_id "
                        "WHERE p.status = 'published' GROUP BY e.result"))
    assert [int(r[2]) for r in outcome_rows[:3]] == [
        reports.get(k, 0) for k in ("worked", "partly", "failed")
    ]
    reused = _csv(client, "/insights/reused.csv")[1:]
    top = _sql("SELECT p.title, COUNT(e.id) FROM practices p JOIN experience_reports e ON e.practice_id = p.id "
               "WHERE p.status = 'published' GROUP BY p.id, p.title ORDER BY COUNT(e.id) DESC, p.title LIMIT 10")
    assert [(r[0], int(r[1])) for r in reused] == [(t, n) for t, n in top]
    svg = BeautifulSoup(html, "html.parser").select("svg.chart")
    assert len(svg) == 3 and all(s.select_one("title") and s.select_one("desc") for s in svg)


def test_dashboard_filters(client, session, login_as):
    login_as("mkoch")
    rows = _csv(client, "/insights/coverage-centres.csv?centre=zz-sachsen&from=2025-01-01")
    total = dict((r[0], int(r[-1])) for r in rows[1:])
    (expected,) = _sql("SELECT COUNT(*) FROM practices p JOIN centres c ON c.id = p.centre_id WHERE c.slug = 'zz-sachsen' "
                       "AND p.status = 'published' AND p.published >= '2025-01-01'")[0]
    assert sum(total.values()) >= expected and total["Zukunftszentrum Brandenburg"] == 0
    by_state = _csv(client, "/insights/coverage-centres.csv?state=DE-TH")
    assert all(int(r[-1]) == 0 for r in by_state[1:] if r[0] != "Zukunftszentrum Thüringen")


def test_evidence_matrix_counts_and_csv(client, session, login_as):
    practice = make_practice(title="Matrixpraxis Specht", topics=["kuenstliche-intelligenz"], sectors=["C", "F"],
                             outcome=Outcome("worked"))


    replace_experiences(practice, [Experience("zz-sachsen", "C", "small", "failed", date(2025, 1, 1)),
                                   Experience("zz-sachsen", "Q", "small", "partly", date(2025, 1, 1))])
    make_practice(title="Verborgene Matrix Meise", topics=["kuenstliche-intelligenz"], status="draft",
                  centre="zz-thueringen")
    db.session.commit()
    assert client.get("/evidence?topic=kuenstliche-intelligenz").status_code == 302
    login_as("jlehmann")
    html = client.get("/evidence?topic=kuenstliche-intelligenz&sort=worked").get_data(as_text=True)
    assert "Matrixpraxis Specht" in html and "Meise" not in html
    rows = _csv(client, "/evidence.csv?topic=kuenstliche-intelligenz&sort=worked")
    header = rows[0]
    (row,) = [r for r in rows if r[1] == "Matrixpraxis Specht"]
    cell = {h: v for h, v in zip(header, row, strict=True)}
    assert (cell["C_worked"], cell["C_partly"], cell["C_failed"]) == ("1", "0", "1")
    assert (cell["F_worked"], cell["Q_partly"]) == ("1", "1")
    assert "Meise" not in str(rows)
    shown = _table(html, "Praxisbeispiele × Branchen")
    assert [r[0] for r in shown[1:]] == [r[1] for r in rows[1:]]  # same practices, same order


def test_evidence_matrix_pages_its_rows_and_the_csv_has_all(client, session, login_as, monkeypatch):
    monkeypatch.setattr(views, "EVIDENCE_ROWS", 2)
    login_as("jlehmann")
    everything = [r[1] for r in _csv(client, "/evidence.csv?topic=kuenstliche-intelligenz")[1:]]
    assert len(everything) > 4
    shown: list[str] = []
    page = 1
    while True:
        html = client.get(f"/evidence?topic=kuenstliche-intelligenz&page={page}").get_data(as_text=True)
        rows = [r[0] for r in _table(html, "Praxisbeispiele × Branchen")[1:]]
        assert len(rows) == min(2, len(everything) - len(shown))
        shown.extend(rows)
        if 'rel="next"' not in html:
            break
        page += 1
    assert shown == everything  # every practice once, in the CSV's order
    assert f"Seite {page} von {page}, {len(everything)} Praxisbeispiele" in html


def test_csv_cells_cannot_become_formulas(client, session, login_as):
    make_practice(
        title='=HYPERLINK("http://evil")', topics=["kuenstliche-intelligenz"], outcome=Outcome("worked")
    )
    login_as("jlehmann")
    text = client.get("/evidence.csv?topic=kuenstliche-intelligenz").get_data(as_text=True)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_top_and_zero_result_searches_come_from_the_search_log(client, session, login_as):
    for q in ("Schichtplanung", "Schichtplanung", "Quantencomputer Imkerei"):
        assert client.get("/search", query_string={"q": q}).status_code == 200
    login_as("mkoch")
    zero = _csv(client, "/insights/zero-searches-30.csv")
    top = _csv(client, "/insights/top-searches-90.csv")
    assert ["quantencomputer imkerei", "1", "0"] in zero
    assert not any(row[0] == "schichtplanung" for row in zero[1:])
    counts = {row[0]: int(row[1]) for row in top[1:]}
    (expected,) = _sql("SELECT COUNT(*) FROM search_log WHERE query = 'schichtplanung'")[0]
    assert counts["schichtplanung"] == expected >= 2
    html = client.get("/insights").get_data(as_text=True)
    assert "quantencomputer imkerei" in html


def test_matrix_for_a_tag_and_a_collection_is_linked(client, session, login_as):
    login_as("jlehmann")
    tag_page = client.get("/tags/sprachmodell").get_data(as_text=True)
    assert "/evidence?tag=sprachmodell" in tag_page
    assert client.get("/evidence?tag=sprachmodell").status_code == 200
    collection_page = client.get("/collections/ki-einstieg-handwerk").get_data(as_text=True)
    assert "/evidence?collection=ki-einstieg-handwerk" in collection_page
    rows = _csv(client, "/evidence.csv?collection=ki-einstieg-handwerk")
    assert len(rows) > 1
    assert client.get("/evidence?tag=gibt-es-nicht").status_code == 404
