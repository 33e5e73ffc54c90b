"""Client matching: the ranking formula, reasons, evidence counts, warnings, visibility, page and API."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.matching.queries import candidates, match, search_relevance, to_candidate, with_size_order
from hub.matching.scoring import Candidate, EvidenceItem, Profile, evidence_counts, points, rank
from hub.models import Practice, SavedProfile
from hub.practices.data import Experience, Outcome
from hub.practices.operations import replace_experiences
from hub.visibility import listed_clause
from tests.factories import make_practice
from tests.support import csrf_token

C_SMALL_TH = Profile(sector="C", size="small", state="DE-TH")


def _reports(practice, *items):
    replace_experiences(practice, [Experience(c, s, z, r, date(2025, 5, 1), "") for c, s, z, r in items])
    db.session.commit()


def _rank_of(results, slug: str) -> int:
    return [r.candidate.slug for r in results].index(slug)


def test_worked_three_times_ranks_above_failed_and_failed_carries_a_warning(session):
    a = make_practice(
        title="Praxis A", slug="praxis-a", sectors=["C"], sizes=["small"], outcome=Outcome("worked")
    )
    make_practice(
        title="Praxis B", slug="praxis-b", sectors=["C"], sizes=["small"], outcome=Outcome("failed")
    )
    _reports(a, ("zz-sachsen", "C", "small", "worked"), ("zz-brandenburg", "C", "small", "worked"),
             ("zz-thueringen", "C", "small", "worked"))
    results = match(None, C_SMALL_TH, limit=200)
    assert _rank_of(results, "praxis-a") < _rank_of(results, "praxis-b")
    ranked_b = results[_rank_of(results, "praxis-b")]
    assert ranked_b.warning and ranked_b.failed_sectors == ["C"]
    ranked_a = results[_rank_of(results, "praxis-a")]
    assert not ranked_a.warning
    assert ranked_a.evidence == {
        "same_sector": {"worked": 4, "partly": 0, "failed": 0},
        "all": {"worked": 4, "partly": 0, "failed": 0},
    }
    assert {"code": "worked_in_sector", "sector": "C", "count": 4} in ranked_a.reasons


def test_text_match_from_another_sector_ranks_below_equally_relevant_same_sector(session):
    make_practice(title="Zebrafinkplanung im Betrieb", slug="zebra-c", sectors=["C"], sizes=["medium"])
    make_practice(title="Zebrafinkplanung im Betrieb", slug="zebra-j", sectors=["J"], sizes=["medium"])
    results = match(None, Profile(sector="C", size="small", query="Zebrafinkplanung"), limit=200)
    assert _rank_of(results, "zebra-c") < _rank_of(results, "zebra-j")
    assert {"code": "text_match"} in results[_rank_of(results, "zebra-j")].reasons


def test_reasons_are_exactly_the_true_ones(session):
    make_practice(
        title="Genau geprüft", slug="genau", sectors=["C"], sizes=["micro"], centre="zz-thueringen",
        topics=["arbeitsorganisation", "fachkraeftesicherung"], outcome=Outcome("worked"),
    )
    profile = Profile(sector="C", size="small", state="DE-TH", topics=("arbeitsorganisation",))
    (ranked,) = [r for r in match(None, profile, limit=500) if r.candidate.slug == "genau"]
    assert ranked.reasons == [
        {"code": "same_sector", "sector": "C"},
        {"code": "neighbouring_size", "size": "small"},
        {"code": "topic", "topics": ["arbeitsorganisation"]},
        {"code": "same_state", "state": "DE-TH"},
        {"code": "worked_in_sector", "sector": "C", "count": 1},
    ]
    other = Profile(sector="Q", size="medium", state="DE-BE", topics=("fachkraeftesicherung",))
    (ranked,) = [r for r in match(None, other, limit=500) if r.candidate.slug == "genau"]
    assert ranked.reasons == [{"code": "topic", "topics": ["fachkraeftesicherung"]}]


def test_evidence_counts_follow_the_definition():
    candidate = Candidate(
        slug="x", title="X", sectors=["C", "F"], sizes=["small"], topics=[], centre_state="DE-SN",
        kind="case-study", outcome="partly",
        reports=[EvidenceItem("C", "micro", "worked"), EvidenceItem("F", "small", "failed"),
                 EvidenceItem("C", "small", "failed")],
    )
    assert evidence_counts(candidate, Profile(sector="C")) == {
        "same_sector": {"worked": 1, "partly": 1, "failed": 1},
        "all": {"worked": 1, "partly": 1, "failed": 2},
    }
    # the own outcome counts in the profile's sector only when the practice lists that sector
    assert evidence_counts(candidate, Profile(sector="Q"))["same_sector"] == {
        "worked": 0,
        "partly": 0,
        "failed": 0,
    }
    assert rank([candidate], Profile(sector="C"))[0].warning


def test_hidden_practices_are_never_matched(client, session):
    make_practice(title="Geheimer Treffer Kranich", slug="kranich", status="draft", centre="zz-thueringen")
    make_practice(
        title="Interner Treffer Reiher", slug="reiher", sectors=["C"], sizes=["small"], visibility="internal"
    )
    data = client.get("/api/v1/match?sector=C&size=small&limit=100").get_json()
    slugs = [r["slug"] for r in data["results"]]
    assert "kranich" not in slugs and "reiher" not in slugs
    assert "Kranich" not in client.get("/match?sector=C&size=small").get_data(as_text=True)


def test_api_shape_and_errors(client, session):
    data = client.get(
        "/api/v1/match?sector=C&size=small&state=DE-TH&topic=kuenstliche-intelligenz"
    ).get_json()
    first = data["results"][0]
    assert set(first) >= {"slug", "title", "url", "score", "reasons", "evidence"}
    assert set(first["evidence"]) == {"same_sector", "all"}
    assert first["url"].endswith(f"/practices/{first['slug']}")
    assert data["results"] == sorted(data["results"], key=lambda r: -r["score"])
    for bad in ("sector=Z", "size=huge", "state=XX-YY", "topic=nichts", "limit=0", "limit=1000"):
        response = client.get(f"/api/v1/match?{bad}")
        assert response.status_code == 400, bad
        assert response.mimetype == "application/problem+json"


def test_demo_profile_gives_an_explained_ranking_with_warnings(client, session):
    html = client.get("/match?sector=C&size=small&state=DE-TH").get_data(as_text=True)
    assert "KI-gestützte Angebotserstellung in einer Tischlerei" in html
    assert html.index("KI-gestützte Angebotserstellung") < html.index("match-warning")
    assert "gleiche Branche (C)" in html


@pytest.mark.parametrize("username", ["jlehmann", "mkoch"])
def test_saving_reopening_and_deleting_profiles(client, session, login_as, username):
    login_as(username)
    token = csrf_token(client, "/match?sector=C&size=small")
    response = client.post("/match/profiles?sector=C&size=small&state=DE-TH",
                           data={"csrf_token": token, "label": "Tischlerei, 12 Beschäftigte"})
    assert response.status_code == 302
    html = client.get("/match").get_data(as_text=True)
    assert "Tischlerei, 12 Beschäftigte" in html
    assert "/match?sector=C&amp;size=small&amp;state=DE-TH" in html

    saved = db.session.query(SavedProfile).filter_by(label="Tischlerei, 12 Beschäftigte").one()
    assert client.post(f"/match/profiles/{saved.id}/delete", data={}).status_code == 400  # CSRF
    client.post(f"/match/profiles/{saved.id}/delete", data={"csrf_token": token})
    assert "Tischlerei, 12 Beschäftigte" not in client.get("/match").get_data(as_text=True)


PROFILES = [
    Profile(sector="C"),
    Profile(size="solo"),
    C_SMALL_TH,
    Profile(sector="I", size="micro", topics=("kuenstliche-intelligenz", "prozessdigitalisierung")),
    Profile(sector="Q", size="medium", state="DE-SN", query="Dokumentation"),
]


@pytest.mark.parametrize("profile", PROFILES, ids=[repr(p) for p in PROFILES])
def test_candidates_read_in_bulk_equal_those_of_the_loaded_practices(session, profile):
    """``match`` reads candidates column-wise; each must equal ``to_candidate`` of the ORM practice."""

    _reports(db.session.scalars(sa.select(Practice).where(Practice.slug == "hofladen-digital")).one(),
             ("zz-sachsen", "C", "small", "failed"), ("zz-brandenburg", "A", "micro", "worked"))
    relevance = search_relevance(None, profile.query) if profile.query else {}
    chosen = sa.select(Practice).where(listed_clause(None))
    bulk = sorted(candidates(chosen, relevance), key=lambda c: c.slug)
    loaded = sorted((to_candidate(p, relevance.get(p.slug, 0.0)) for p in db.session.scalars(chosen)),
                    key=lambda c: c.slug)
    assert bulk == loaded and any(c.reports for c in bulk)


@pytest.mark.parametrize("profile", PROFILES, ids=[repr(p) for p in PROFILES])
def test_the_shown_few_are_the_best_of_all_with_the_same_points(session, profile):
    """``rank`` scores every candidate with ``points`` and explains only the shown ones."""
    everyone = match(None, profile, limit=10_000)
    assert all(r.score == points(r.candidate, with_size_order(profile)) for r in everyone)
    assert [(r.score, r.candidate.title) for r in everyone] == sorted(
        ((r.score, r.candidate.title) for r in everyone), key=lambda item: (-item[0], item[1])
    )
    shown = match(None, profile, limit=5)
    assert [r.candidate.slug for r in shown] == [r.candidate.slug for r in everyone[:5]]
    assert [(r.reasons, r.evidence) for r in shown] == [(r.reasons, r.evidence) for r in everyone[:5]]
