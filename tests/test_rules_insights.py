"""Issue 13 rules 2–5: safe CSV, access per role, dashboard filters and figures, evidence matrix sorts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.extensions import db
from hub.models import Centre, Practice, SearchLogEntry, Topic
from hub.practices.data import Experience, Outcome
from hub.practices.operations import replace_experiences
from tests.factories import make_practice

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DASHBOARD_TABLES = ("coverage-centres", "coverage-topics", "publications", "outcomes", "reused",
                    "top-searches-30", "top-searches-90", "zero-searches-30", "zero-searches-90")


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv", url
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def _report(centre: str, sector: str, result: str, day: int = 1) -> Experience:
    return Experience(centre, sector, "small", result, date(2025, 3, day), "")


# --- rule 2 --------------------------------------------------------------------------------------
def test_every_csv_neutralises_every_formula_start_in_every_text_column(client, session, login_as):
    """Pins issue-13 rule 2: in the evidence matrix CSV and every dashboard table CSV, a cell starting
    with = + - @ tab or CR (practice titles, centre and topic names, search words) gets a leading
    apostrophe — each of the six starts, in each column that carries text."""
    centres = list(db.session.scalars(sa.select(Centre).order_by(Centre.slug)))
    topics = list(db.session.scalars(sa.select(Topic).order_by(Topic.slug)))
    expected: set[str] = set()
    for i, start in enumerate(FORMULA_STARTS):
        practice = make_practice(title=f"Formel {i}", topics=["kuenstliche-intelligenz"], sectors=["C"],
                                 centre="zz-sachsen", outcome=Outcome("worked"))
        replace_experiences(practice, [_report("zz-thueringen", "C", "worked", d) for d in range(1, 13)])
        practice.title = f"{start}Formel {i}"  # straight into the database: the form would refuse CR
        centres[i].name = f"{start}Zentrum {i}"
        topics[i].name = f"{start}Thema {i}"
        db.session.add(SearchLogEntry(query=f"{start}suche {i}", results=0))
        expected |= {
            f"'{start}Formel {i}",
            f"'{start}Zentrum {i}",
            f"'{start}Thema {i}",
            f"'{start}suche {i}",
        }
    db.session.commit()
    login_as("mkoch")
    seen: set[str] = set()
    urls = ["/evidence.csv?topic=kuenstliche-intelligenz", *(f"/insights/{t}.csv" for t in DASHBOARD_TABLES)]
    for url in urls:
        for row in _csv(client, url):
            for column, cell in enumerate(row):
                assert not cell.startswith(FORMULA_STARTS), (url, column, cell)
                seen.add(cell)
    assert expected <= seen  # every planted value is there, neutralised, not merely missing


# --- rule 3 --------------------------------------------------------------------------------------
ACCESS = [
    # (user or None, /insights and its CSV, /evidence and its CSV)
    (None, "login", "login"),
    ("jlehmann", 403, 200),  # reader
    ("aschmidt", 403, 200),  # contributor
    ("mkoch", 200, 200),  # coordinator
    ("admin", 200, 200),
]


@pytest.mark.parametrize(("username", "dashboard", "matrix"), ACCESS, ids=[str(a[0]) for a in ACCESS])
def test_insights_and_evidence_matrix_per_role(client, session, login_as, username, dashboard, matrix):
    """Pins issue-13 rule 3: the dashboard is for coordinators and admins (others 403, anonymous the
    login page), the evidence matrix for every member (anonymous the login page)."""
    if username:
        login_as(username)
    for url, expected in [("/insights", dashboard), ("/insights/outcomes.csv", dashboard),
                          ("/evidence?topic=kuenstliche-intelligenz", matrix),
                          ("/evidence.csv?topic=kuenstliche-intelligenz", matrix)]:
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code == expected, url


# --- rule 4 --------------------------------------------------------------------------------------
def _known_dates_corpus() -> None:
    """Practices published in 2019/2020 (the demo corpus starts in 2023), with outcomes and reports."""
    a = make_practice(
        title="Quartal Eins",
        centre="zz-brandenburg",
        sectors=["C", "F"],
        topics=["arbeitsorganisation"],
        published=date(2019, 3, 31),
        outcome=Outcome("worked"),
    )
    replace_experiences(a, [_report("zz-sachsen", "C", "worked"), _report("zz-sachsen", "F", "failed")])
    make_practice(
        title="Quartal Zwei Anfang",
        centre="zz-brandenburg",
        sectors=["C"],
        topics=["arbeitsorganisation"],
        published=date(2019, 4, 1),
        outcome=Outcome("failed"),
    )
    b = make_practice(
        title="Quartal Zwei Ende",
        centre="zz-sachsen",
        sectors=["J"],
        topics=["fachkraeftesicherung"],
        published=date(2019, 6, 30),
        outcome=Outcome("partly"),
    )
    replace_experiences(b, [_report("zz-thueringen", "J", "partly")])
    make_practice(
        title="Quartal Vier",
        centre="haus-der-selbststaendigen",
        sectors=["C"],
        topics=["fachkraeftesicherung"],
        published=date(2019, 12, 31),
    )
    make_practice(
        title="Neues Jahr",
        centre="zz-sachsen",
        sectors=["Q"],
        topics=["arbeitsorganisation"],
        published=date(2020, 1, 1),
        outcome=Outcome("worked"),
    )
    make_practice(title="Nur Entwurf", centre="zz-sachsen", sectors=["C"], status="draft")
    archived = make_practice(title="Archiviert", centre="zz-sachsen", sectors=["C"], published=date(2019, 5, 5),
                             outcome=Outcome("worked"))
    db.session.execute(sa.update(Practice).where(Practice.id == archived.id).values(status="archived"))
    db.session.commit()


def _where(f: dict[str, str]) -> tuple[str, dict[str, str]]:
    clauses = ["p.status = 'published'"]
    params: dict[str, str] = {}
    for key, clause in (("centre", "c.slug = :centre"), ("state", "c.state = :state"),
                        ("from", "p.published >= :start"), ("to", "p.published <= :end")):
        if key in f:
            clauses.append(clause)
            params[{"from": "start", "to": "end"}.get(key, key)] = f[key]
    return " AND ".join(clauses), params


def _sql(query: str, params: dict[str, str]) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(query), params)]


def _quarter(value: object) -> str:
    day = date.fromisoformat(str(value)[:10])
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _expected_tables(f: dict[str, str]) -> dict[str, object]:
    where, params = _where(f)
    base = "FROM practices p JOIN centres c ON c.id = p.centre_id "
    coverage_centres = {
        (name, sector): n
        for name, sector, n in _sql(
            f"SELECT c.name, ps.sector_code, COUNT(DISTINCT p.id) {base}"
            f"JOIN practice_sectors ps ON ps.practice_id = p.id WHERE {where} GROUP BY c.name, ps.sector_code",
            params,
        )
    }
    coverage_topics = {
        (name, sector): n
        for name, sector, n in _sql(
            f"SELECT t.name, ps.sector_code, COUNT(DISTINCT p.id) {base}"
            "JOIN practice_topics pt ON pt.practice_id = p.id JOIN topics t ON t.id = pt.topic_id "
            f"JOIN practice_sectors ps ON ps.practice_id = p.id WHERE {where} GROUP BY t.name, ps.sector_code",
            params,
        )
    }
    publications: dict[tuple[str, str], int] = {}
    for name, published in _sql(f"SELECT c.name, p.published {base} WHERE {where} AND p.published IS NOT NULL",
                                params):
        key = (name, _quarter(published))
        publications[key] = publications.get(key, 0) + 1
    own = dict(_sql(f"SELECT COALESCE(p.outcome_result, 'none'), COUNT(*) {base} WHERE {where} "
                    "GROUP BY COALESCE(p.outcome_result, 'none')", params))
    reports = dict(_sql(f"SELECT e.result, COUNT(*) {base} JOIN experience_reports e ON e.practice_id = p.id "
                        f"WHERE {where} GROUP BY e.result", params))
    reused = _sql(
        f"SELECT p.title, COUNT(e.id) {base} JOIN experience_reports e ON e.practice_id = p.id "
        f"WHERE {where} GROUP BY p.id, p.title ORDER BY COUNT(e.id) DESC, p.title LIMIT 10",
        params,
    )
    return {
        "coverage-centres": coverage_centres,
        "coverage-topics": coverage_topics,
        "publications": publications,
        "outcomes": (
            [own.get(k, 0) for k in ("worked", "partly", "failed", "none")],
            [reports.get(k, 0) for k in ("worked", "partly", "failed")],
        ),
        "reused": [(title, n) for title, n in reused],
    }


def _cells(rows: list[list[str]], skip_last: bool = False) -> dict[tuple[str, str], int]:
    header = rows[0]
    end = len(header) - 1 if skip_last else len(header)
    return {(row[0], header[i]): int(row[i]) for row in rows[1:] for i in range(1, end) if int(row[i])}


def _seen_tables(client, query: str) -> dict[str, object]:
    outcomes = _csv(client, f"/insights/outcomes.csv?{query}")[1:]
    return {
        "coverage-centres": _cells(_csv(client, f"/insights/coverage-centres.csv?{query}"), skip_last=True),
        "coverage-topics": _cells(_csv(client, f"/insights/coverage-topics.csv?{query}")),
        "publications": _cells(_csv(client, f"/insights/publications.csv?{query}")),
        "outcomes": ([int(r[1]) for r in outcomes], [int(r[2]) for r in outcomes[:3]]),
        "reused": [(r[0], int(r[1])) for r in _csv(client, f"/insights/reused.csv?{query}")[1:]],
    }


FILTERS = [
    {},
    {"centre": "zz-brandenburg"},
    {"state": "DE-SN"},  # two centres: Zukunftszentrum Sachsen and Haus der Selbstständigen
    {"from": "2019-04-01", "to": "2019-12-31"},
    {"centre": "zz-sachsen", "from": "2019-04-01"},
    {"state": "DE-SN", "to": "2019-06-30"},
    {"from": "2024-01-01", "to": "2024-12-31"},
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=["&".join(f"{k}={v}" for k, v in f.items()) or "none" for f in FILTERS]
)
def test_dashboard_tables_equal_independent_sql_under_each_filter(client, session, login_as, filters):
    """Pins issue-13 rule 4: every dashboard table (coverage centre × sector and topic × sector,
    publications per quarter, outcome distribution, re-use) equals plain SQL under the centre, state,
    from and to filters (from/to inclusive) over a corpus with known publication dates."""
    _known_dates_corpus()
    login_as("mkoch")
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    assert _seen_tables(client, query) == _expected_tables(filters)


def test_dashboard_figures_of_a_known_year_by_hand(client, session, login_as):
    """Pins issue-13 rule 4 with figures written down by hand: 2019-04-01 … 2019-12-31 (both days
    included) holds three published practices of the known corpus; the archived, the draft and those of
    2019-03-31 and 2020-01-01 stay out."""
    _known_dates_corpus()
    login_as("mkoch")
    query = "from=2019-04-01&to=2019-12-31"
    publications = _csv(client, f"/insights/publications.csv?{query}")
    assert publications[0][1:] == ["2019-Q2", "2019-Q4"]
    assert _cells(publications) == {("Zukunftszentrum Brandenburg", "2019-Q2"): 1,
                                    ("Zukunftszentrum Sachsen", "2019-Q2"): 1,
                                    ("Haus der Selbstständigen", "2019-Q4"): 1}
    outcomes = _csv(client, f"/insights/outcomes.csv?{query}")[1:]
    assert [r[1] for r in outcomes] == ["0", "1", "1", "1"]  # worked, partly, failed, none
    assert [r[2] for r in outcomes[:3]] == ["0", "1", "0"]  # the one report on "Quartal Zwei Ende"
    assert _cells(_csv(client, f"/insights/coverage-centres.csv?{query}"), skip_last=True) == {
        ("Zukunftszentrum Brandenburg", "C"): 1, ("Zukunftszentrum Sachsen", "J"): 1,
        ("Haus der Selbstständigen", "C"): 1,
    }
    assert _csv(client, f"/insights/reused.csv?{query}")[1:] == [["Quartal Zwei Ende", "1"]]
    state = _csv(client, "/insights/publications.csv?state=DE-SN&from=2019-01-01&to=2020-12-31")
    assert _cells(state) == {("Zukunftszentrum Sachsen", "2019-Q2"): 1, ("Zukunftszentrum Sachsen", "2020-Q1"): 1,
                             ("Haus der Selbstständigen", "2019-Q4"): 1}


# --- rule 5 --------------------------------------------------------------------------------------
SORTS = {
    "title": ["Alpha", "beta", "delta", "Gamma"],  # A–Z regardless of case
    "worked": ["beta", "Gamma", "Alpha", "delta"],  # most worked first, ties by title
    "failed": ["Alpha", "Gamma", "beta", "delta"],
    "evidence": ["Alpha", "beta", "Gamma", "delta"],  # most reports+outcomes first, ties by title
    "nonsense": ["Alpha", "beta", "delta", "Gamma"],  # unknown: by title
}


@pytest.mark.parametrize("sort", SORTS)
def test_evidence_matrix_sort_orders(client, session, login_as, sort):
    """Pins issue-13 rule 5: the evidence matrix sorts by title (case-insensitive), by worked, by failed
    and by all evidence (each most first, ties by title) — the page and the CSV alike."""
    common = dict(sectors=["C"], tags=["sortierprobe"], centre="zz-sachsen")
    beta = make_practice(title="beta", outcome=Outcome("worked"), **common)
    replace_experiences(beta, [_report("zz-thueringen", "C", "worked")])
    alpha = make_practice(title="Alpha", outcome=Outcome("failed"), **common)
    replace_experiences(
        alpha, [_report("zz-thueringen", "C", "failed"), _report("zz-thueringen", "C", "partly")]
    )
    gamma = make_practice(title="Gamma", outcome=Outcome("worked"), **common)
    replace_experiences(gamma, [_report("zz-thueringen", "C", "failed")])
    make_practice(title="delta", **common)
    db.session.commit()
    login_as("jlehmann")
    rows = _csv(client, f"/evidence.csv?tag=sortierprobe&sort={sort}")
    assert [r[1] for r in rows[1:]] == SORTS[sort]
    html = client.get(f"/evidence?tag=sortierprobe&sort={sort}").get_data(as_text=True)
    table = BeautifulSoup(html, "html.parser").select_one("table")
    shown = [tr.find(["th", "td"]).get_text(" ", strip=True) for tr in table.select("tbody tr")]
    assert shown == SORTS[sort]
