"""Issue 13 rule 1: the matching formula's documented numbers, worked out by hand.

README ("For my client"):

    score = 3.0·text + 2.0·[same sector] + size_fit + 0.75·|shared topics| + 0.5·[centre in the same state] + evidence
    size_fit = 1 same size, 0.5 neighbouring size (solo–micro–small–medium), else 0
    evidence = Σ sector_sim · size_sim · value;  value: worked +1, partly +0.4, failed −1
               sector_sim: 1 same sector, 0.25 other;  size_sim: 1 same, 0.6 neighbouring, 0.3 other

Every expected number below is the README's arithmetic written out in the test — never ``points()``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hub.extensions import db
from hub.matching.queries import match
from hub.matching.scoring import Candidate, EvidenceItem, Profile, rank
from hub.practices.data import Experience, Outcome
from hub.practices.operations import replace_experiences
from tests.factories import make_practice


def _candidate(**overrides: object) -> Candidate:
    values: dict[str, object] = dict(
        slug="x", title="X", sectors=["F"], sizes=["medium"], topics=[], centre_state="DE-BE",
        kind="case-study", outcome=None, reports=[], text=0.0,
    )
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


# The documented order of company sizes (README, taxonomy.yml): the hub reads it from the database
# (``with_size_order``); these hand-made profiles carry it themselves.
SIZE_ORDER = ("solo", "micro", "small", "medium")


def _score(candidate: Candidate, profile: Profile) -> float:
    (ranked,) = rank([candidate], replace(profile, size_order=SIZE_ORDER))
    return ranked.score


CASES = [
    # (id, profile, candidate overrides, expected score worked out by hand)
    ("same sector 2.0", Profile(sector="C"), dict(sectors=["C"]), 2.0),
    ("other sector 0", Profile(sector="C"), dict(sectors=["F"]), 0.0),
    ("same size 1.0 (not 1.5 with a neighbour listed too)", Profile(size="small"),
     dict(sizes=["micro", "small"]), 1.0),
    ("neighbouring size 0.5 (micro-small)", Profile(size="small"), dict(sizes=["micro"]), 0.5),
    ("neighbouring size 0.5 (small-medium)", Profile(size="small"), dict(sizes=["medium"]), 0.5),
    ("other size 0 (solo-small)", Profile(size="small"), dict(sizes=["solo"]), 0.0),
    ("two shared topics 2 x 0.75", Profile(topics=("a", "b", "c")), dict(topics=["a", "b", "z"]), 1.5),
    ("same state 0.5", Profile(state="DE-TH"), dict(centre_state="DE-TH"), 0.5),
    ("other state 0", Profile(state="DE-TH"), dict(centre_state="DE-SN"), 0.0),
    ("text 3.0 x relevance", Profile(query="wort"), dict(text=0.5), 1.5),
    ("text ignored without words", Profile(), dict(text=0.5), 0.0),
    # own outcome worked, same sector, same size: 1 * 1 * (+1) on top of 2.0 + 1.0
    ("own worked here", Profile(sector="C", size="small"),
     dict(sectors=["C"], sizes=["small"], outcome="worked"), 2.0 + 1.0 + 1.0),
    # own outcome partly, other sector (0.25), same size: 0.25 * 1 * 0.4 = 0.1, plus size 1.0
    ("own partly other sector", Profile(sector="C", size="small"),
     dict(sectors=["F"], sizes=["small"], outcome="partly"), 1.0 + 0.1),
    # own outcome failed, same sector, other size (solo vs small: 0.3): 1 * 0.3 * -1 = -0.3, plus 2.0
    ("own failed other size", Profile(sector="C", size="small"),
     dict(sectors=["C"], sizes=["solo"], outcome="failed"), 2.0 - 0.3),
    # reports: C/small partly 1*1*0.4 = 0.4; F/solo failed 0.25*0.3*-1 = -0.075; C/micro worked 1*0.6*1
    # = 0.6; own worked at F/medium 0.25*0.6*1 = 0.15; size_fit medium~small 0.5
    ("own outcome and three reports", Profile(sector="C", size="small"),
     dict(sectors=["F"], sizes=["medium"], outcome="worked",
          reports=[EvidenceItem("C", "small", "partly"), EvidenceItem("F", "solo", "failed"),
                   EvidenceItem("C", "micro", "worked")]),
     0.5 + 0.15 + 0.4 - 0.075 + 0.6),
    # everything at once: 3*1 + 2 + 1 + 0.75 + 0.5 + own worked (1) + report F/micro failed 0.25*0.6*-1
    ("all parts", Profile(sector="C", size="small", state="DE-TH", topics=("a",), query="wort"),
     dict(sectors=["C"], sizes=["small"], topics=["a"], centre_state="DE-TH", outcome="worked", text=1.0,
          reports=[EvidenceItem("F", "micro", "failed")]),
     3.0 + 2.0 + 1.0 + 0.75 + 0.5 + 1.0 - 0.15),
]


@pytest.mark.parametrize(
    ("profile", "overrides", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_scores_equal_the_documented_formula_worked_out_by_hand(profile, overrides, expected):
    """Pins issue-13 rule 1: weights text 3.0, sector 2.0, size 1 / neighbour 0.5, topic 0.75, state
    0.5; evidence values worked +1 / partly +0.4 / failed −1; sector_sim 1 / 0.25; size_sim 1 / 0.6 / 0.3."""
    assert _score(_candidate(**overrides), profile) == pytest.approx(expected, abs=1e-9)


def test_scores_of_stored_practices_follow_the_formula(session):
    """Pins issue-13 rule 1 through the database: a stored practice with reports gets the hand-worked
    score, and the best text hit gets the full 3.0 (text normalised to 0…1)."""
    practice = make_practice(
        title="Handgerechnet", slug="handgerechnet", sectors=["C"], sizes=["micro"], centre="zz-thueringen",
        topics=["arbeitsorganisation", "fachkraeftesicherung"], outcome=Outcome("worked"),
    )
    replace_experiences(
        practice,
        [
            Experience("zz-sachsen", "F", "small", "failed", date(2025, 5, 1), ""),
            Experience("zz-sachsen", "C", "solo", "partly", date(2025, 5, 2), ""),
        ],
    )
    db.session.commit()
    profile = Profile(sector="C", size="small", state="DE-TH", topics=("arbeitsorganisation",))
    (found,) = [r for r in match(None, profile, limit=10_000) if r.candidate.slug == "handgerechnet"]
    # sector 2 + neighbouring size 0.5 + one topic 0.75 + state 0.5
    # + own worked at C/micro 1*0.6*1 + F/small failed 0.25*1*-1 + C/solo partly 1*0.3*0.4
    assert found.score == pytest.approx(2.0 + 0.5 + 0.75 + 0.5 + 0.6 - 0.25 + 0.12, abs=1e-9)

    make_practice(title="Zebrafinkplanung", slug="zebrafink", sectors=["J"], sizes=["medium"],
                  centre="zz-sachsen", topics=["fachkraeftesicherung"])
    (hit,) = [r for r in match(None, Profile(sector="Q", query="Zebrafinkplanung"), limit=100)
              if r.candidate.slug == "zebrafink"]
    assert hit.score == pytest.approx(3.0, abs=1e-9)  # the only (so the best) hit: text 1.0 × 3.0
