"""One home for the vocabularies (hub/vocabulary/stored.py): their order is the database's — the
order of taxonomy.yml — for form choices, the API and the matching's neighbouring company sizes."""

from __future__ import annotations

from hub.extensions import db
from hub.matching.queries import match
from hub.matching.scoring import Profile
from hub.models import CompanySize
from hub.practices.forms import PracticeForm
from hub.vocabulary import stored
from tests.factories import make_practice

SHUFFLED = ("solo", "small", "micro", "medium")  # an order taxonomy.yml might give


def _reorder(codes: tuple[str, ...]) -> None:
    for position, code in enumerate(codes):
        db.session.get(CompanySize, code).position = position
    db.session.flush()


def test_company_sizes_follow_the_database_order_everywhere(app, session, client):
    """Rule: one size order, the database's (was: a constant in hub.vocabulary beside CompanySize.position)."""
    _reorder(SHUFFLED)
    assert stored.size_codes() == SHUFFLED
    with app.test_request_context():
        form = PracticeForm()
        form.set_choices(stored.centres())
        assert tuple(code for code, _name in form.sizes.choices) == SHUFFLED
    assert tuple(s["code"] for s in client.get("/api/v1/taxonomy").get_json()["sizes"]) == SHUFFLED


def test_neighbouring_sizes_are_neighbours_in_the_database_order(session):
    """Rule: the matching's neighbouring size is the next one in the stored order."""
    make_practice(
        title="Nur für Kleine",
        slug="nur-kleine",
        sectors=["Q"],
        sizes=["small"],
        topics=["arbeitsorganisation"],
    )
    _reorder(SHUFFLED)
    (ranked,) = [
        r
        for r in match(None, Profile(sector="Q", size="solo"), limit=500)
        if r.candidate.slug == "nur-kleine"
    ]
    assert {"code": "neighbouring_size", "size": "solo"} in ranked.reasons
