"""What review removed stays with insiders (issue 11, item 6).

Once a practice is published, people who may not see its drafts see only the revisions that were
public, workflow steps without review comments, and no related practice hidden from them: on the
history page, the diff page, the practice page and the API.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from hub.extensions import db
from hub.models import Practice
from hub.practices.data import RelatedLink
from hub.practices.operations import practice_data, update_practice
from hub.practices.workflow import transition
from tests.factories import make_practice, user

SECRET = "Kundin Erika Mustermann, Diagnose Burnout"
COMMENT = "Bitte den Kundennamen entfernen"


def _edit(practice: Practice, actor: str, **changes: object) -> None:
    data = practice_data(practice)
    for key, value in changes.items():
        setattr(data, key, value)
    update_practice(user(actor), practice, data)
    db.session.commit()


def _step(practice: Practice, actor: str, step: str, comment: str = "") -> None:
    transition(user(actor), practice, step, comment)
    db.session.commit()


@pytest.fixture
def reviewed(session):
    """Draft 1 names a client; review sends it back; draft 2 is approved; 3 is an edit after publication
    that links a hidden draft of another centre."""
    hidden = make_practice(user("kwagner"), centre="zz-brandenburg", status="draft", slug="geheimer-entwurf")
    practice = make_practice(user("tbauer"), status="draft", body=f"Ausgangslage: {SECRET}.\n\nMaßnahme.")
    _step(practice, "tbauer", "submit")
    _step(practice, "mkoch", "send-back", COMMENT)
    _edit(practice, "tbauer", body="Ausgangslage: eine Kundin aus dem Handwerk.\n\nMaßnahme.")
    _step(practice, "tbauer", "submit")
    _step(practice, "mkoch", "approve")
    _edit(
        practice,
        "tbauer",
        body="Ausgangslage: eine Kundin aus dem Handwerk.\n\nMaßnahme und Ergebnis.",
        related=[RelatedLink(hidden.slug, "see-also")],
    )
    return practice


def _history(client, practice: Practice) -> BeautifulSoup:
    response = client.get(f"/practices/{practice.slug}/history")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _versions(page: BeautifulSoup) -> list[str]:
    return [row.select_one("td").get_text().split()[0] for row in page.select("table.history tbody tr")]


@pytest.mark.parametrize("reader", [None, "jlehmann", "aschmidt"])
def test_outsiders_see_only_the_published_revisions(client, login_as, reviewed, reader):
    """Rule: anonymous visitors and members who may not see the drafts see the public revisions only."""
    if reader:
        login_as(reader)
    page = _history(client, reviewed)
    assert _versions(page) == ["3", "2"]
    assert COMMENT not in page.get_text()
    assert client.get(f"/practices/{reviewed.slug}/diff?from=1&to=3").status_code == 404
    assert client.get(f"/practices/{reviewed.slug}/diff?from=2&to=1").status_code == 404
    diff = client.get(f"/practices/{reviewed.slug}/diff?from=2&to=3")
    assert diff.status_code == 200
    text = diff.get_data(as_text=True)
    assert SECRET not in text and "geheimer-entwurf" not in text
    options = BeautifulSoup(text, "html.parser").select("#diff-from option")
    assert [o["value"] for o in options] == ["2", "3"]
    assert "geheimer-entwurf" not in client.get(f"/practices/{reviewed.slug}").get_data(as_text=True)
    api = client.get(f"/api/v1/practices/{reviewed.slug}").get_json()
    assert "geheimer-entwurf" not in str(api)


@pytest.mark.parametrize("insider", ["tbauer", "mkoch"])
def test_insiders_see_every_revision_and_the_review_comments(client, login_as, reviewed, insider):
    """Rule: authors, their centre's contributors and coordinators keep the whole history."""
    login_as(insider)
    page = _history(client, reviewed)
    assert _versions(page) == ["3", "2", "1"]
    assert COMMENT in page.get_text()
    diff = client.get(f"/practices/{reviewed.slug}/diff?from=1&to=2")
    assert diff.status_code == 200 and "Mustermann" in diff.get_data(as_text=True)


def test_outsiders_see_the_publication_steps_without_comments(client, reviewed):
    """Rule: workflow steps between draft and review are internal; publication is public."""
    rows = _history(client, reviewed).select("table.status-changes tbody tr")
    assert len(rows) == 1  # review → published
    assert all(not row.select_one(".comment").get_text().strip() for row in rows)
