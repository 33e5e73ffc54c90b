"""The search page and the JSON API: visibility, facets, chips, problems, fuzzing, inert output."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import template_rendered
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.extensions import db
from hub.models import Practice, SearchLogEntry, practice_sectors
from hub.practices.queries import count_by
from hub.search.analysis import fold
from hub.search.similar import similar
from hub.search.sync import get_index
from hub.visibility import listed_clause
from hub.vocabulary import Kind, Result, Status, label, label_table
from tests.html_checks import executable_markup, without_csrf_tokens
from tests.search_helpers import retitle, run, user
from tests.support import csrf_token, xss_payloads


def _hidden_from_anonymous() -> list[Practice]:
    visible = sa.select(Practice.id).where(listed_clause(None))
    return list(db.session.scalars(sa.select(Practice).where(Practice.id.not_in(visible))))


def test_search_page_shows_count_facets_snippets_and_chips(client):
    response = client.get("/search?q=Schichtplanung&sector=Q")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-live="polite"' in html and "gefunden" in html
    assert "Digitale <mark>Schichtplanung</mark>" in html
    assert "Entfernen" in html or "entfernen" in html  # removable chip
    assert 'href="/search?q=Schichtplanung"' in html  # the chip's link drops the filter
    assert executable_markup(html) == []


def test_header_and_start_page_search_go_to_the_search_page(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('action="/search"') == 2


def test_api_answers_in_the_documented_shape(client):
    response = client.get("/api/v1/search?q=Tourenplanung&sector=Q&per_page=5")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert set(data) == {"query", "total", "page", "per_page", "results", "facets", "suggestion", "match", "complete"}
    assert data["match"] == "all" and data["complete"] == data["total"]
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 5
    hit = data["results"][0]
    assert set(hit) == {"slug", "title", "kind", "centre", "sectors", "summary", "snippet", "url", "matched_file"}  # no score
    assert hit["slug"] == "tourenplanung-pflegedienst" and hit["url"].endswith(
        "/practices/tourenplanung-pflegedienst"
    )
    assert data["facets"]["sector"]["Q"] == 1


def test_api_suggests_a_spelling(client):
    data = client.get("/api/v1/search?q=Schichtplnung").get_json()
    assert data["suggestion"] == "Schichtplanung"  # as a practice writes it
    data = client.get("/api/v1/search?q=Büro Gästemape").get_json()
    assert data["suggestion"] == "Büro Gästemappe"  # umlauts kept, the known word as typed


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=0", "per_page=1000", "per_page=-1", "sort=random", "page=99999999999999999999"],
)
def test_api_bad_parameters_are_problems_not_errors(client, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 400


def test_anonymous_never_sees_hidden_practices_anywhere(client, session):
    hidden = _hidden_from_anonymous()
    assert len(hidden) >= 8
    for practice in hidden:
        for query in (practice.title, practice.slug.replace("-", " "), practice.title.split()[0]):
            data = client.get("/api/v1/search", query_string={"q": query, "per_page": 100}).get_json()
            found = {hit["slug"] for hit in data["results"]}
            assert practice.slug not in found
            html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
            assert f'/practices/{practice.slug}"' not in html
            if data["suggestion"]:  # following the suggestion does not lead to the hidden practice either
                followed = client.get("/api/v1/search", query_string={"q": data["suggestion"], "per_page": 100})
                assert practice.slug not in {hit["slug"] for hit in followed.get_json()["results"]}
    # a word only a hidden practice has is never suggested
    suggestion = client.get("/api/v1/search?q=Kommisionierung").get_json()["suggestion"]
    assert fold(suggestion or "") != "kommissionierung"


def test_similar_practices_respect_visibility(session):
    index = get_index()
    hidden = {p.id for p in _hidden_from_anonymous()}
    for practice in db.session.scalars(sa.select(Practice)):
        cards = similar(index, None, practice.id)
        assert practice.slug not in {c["slug"] for c in cards}
        assert not {c["slug"] for c in cards} & {p.slug for p in db.session.scalars(
            sa.select(Practice).where(Practice.id.in_(hidden)))}
    member = similar(index, user("jlehmann"), db.session.scalars(
        sa.select(Practice.id).where(Practice.slug == "tablet-einfuehrung-ohne-schulung")).one())
    assert member, "members get similar practices, internal ones included"


def test_practice_page_shows_similar_practices(client):
    html = client.get("/practices/digitale-schichtplanung-pflege").get_data(as_text=True)
    assert 'id="similar-heading"' in html


@pytest.mark.parametrize("username", [None, "jlehmann", "aschmidt", "mkoch"])
def test_facet_counts_equal_sql_counts(session, username):
    result = run("", username)
    who = user(username)
    assert result.facets["sector"] == {
        code: count
        for code, count in count_by(who, practice_sectors.c.sector_code, practice_sectors).items()
        if count
    }
    assert result.total == db.session.scalar(sa.select(sa.func.count(Practice.id)).where(listed_clause(who)))
    kinds = count_by(who, Practice.kind)
    assert result.facets["kind"] == {k: v for k, v in kinds.items() if v}


def test_logged_in_session_sees_internal_practices_through_the_api(login_as):
    client = login_as("jlehmann")
    data = client.get("/api/v1/search?q=Datenbrille").get_json()
    assert "datenbrille-fernwartung" in {hit["slug"] for hit in data["results"]}


def test_search_log_keeps_no_personal_data(client, session):
    client.get("/search?q=  Schichtplanung   Pflege&sector=Q")
    entry = db.session.scalars(sa.select(SearchLogEntry).order_by(SearchLogEntry.id.desc())).first()
    assert entry.query == "schichtplanung pflege" and entry.filters == {"sector": ["Q"]}
    assert entry.results >= 1
    columns = set(SearchLogEntry.__table__.columns.keys())
    assert columns == {"id", "at", "query", "filters", "results", "duration_ms", "source"}


def test_xss_corpus_against_page_and_api(client):
    payloads = xss_payloads()
    assert len(payloads) > 6000
    for payload in payloads[::15]:
        page = client.get("/search", query_string={"q": payload, "tag": payload, "sector": payload})
        assert page.status_code == 200, payload
        assert executable_markup(page.get_data(as_text=True)) == [], payload
        api = client.get("/api/v1/search", query_string={"q": payload})
        assert api.status_code == 200, payload
        for hit in api.get_json()["results"]:
            assert executable_markup(hit["snippet"]) == [], payload


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=80),
    extra=st.lists(
        st.tuples(
            st.sampled_from(["sector", "tag", "page", "per_page", "sort", "kind", "status", "q"]),
            st.text(max_size=12),
        ),
        max_size=4,
    ),
)
def test_fuzzed_queries_never_fail(client, q, extra):
    params = [("q", q), *extra]
    page = client.get("/search", query_string=params)
    has_nul = any("\x00" in value for _name, value in params)
    assert page.status_code == (400 if has_nul else 200)  # NUL is refused with a clear 400 everywhere
    assert executable_markup(page.get_data(as_text=True)) == []
    api = client.get("/api/v1/search", query_string=params)
    assert api.status_code in (200, 400)


def test_search_page_speaks_the_chosen_language(client):
    """Strings, plurals, vocabulary labels and facet titles follow the language switch (templates
    look the catalogue up once per render, so a switch must still reach every string)."""
    german = client.get("/search?q=Schichtplanung").get_data(as_text=True)
    assert "Praxisbeispiele gefunden" in german and ">Branche<" in german
    assert "Fallstudie" in german or "Gute Praxis" in german
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/"), "next": "/"})
    english = client.get("/search?q=Schichtplanung").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "practices found" in english and ">Sector<" in english
    assert "Case study" in english or "Best practice" in english
    assert "Praxisbeispiele gefunden" not in english and "Fallstudie" not in english


def test_a_search_asked_again_reuses_its_rendered_results_until_the_index_changes(app, client, session):
    rendered: list[str] = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        first = without_csrf_tokens(client.get("/search?q=Schichtplanung&sector=Q").get_data(as_text=True))
        again = without_csrf_tokens(client.get("/search?q=Schichtplanung&sector=Q").get_data(as_text=True))
        assert rendered.count("search/_results.html") == 1 and rendered.count("search/index.html") == 2
        assert first == again and "<mark>" in again and 'class="chip"' in again
        retitle("digitale-schichtplanung-pflege", "Schichtplanung digital im Pflegedienst, neu")
        session.commit()  # the index changes: the cached result and its rendering are gone
        changed = without_csrf_tokens(client.get("/search?q=Schichtplanung&sector=Q").get_data(as_text=True))
        assert rendered.count("search/_results.html") == 2
    finally:
        template_rendered.disconnect(record, app)
    assert changed != first


def test_vocabulary_labels_in_templates_equal_labels_in_code(app):
    for locale in ("de", "en"):
        with app.test_request_context("/"), force_locale(locale):
            table = label_table(locale)
            for code in [*Kind, *Result, *Status]:
                assert table[code.value] == label(code)
