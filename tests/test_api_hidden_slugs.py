"""Issue 11 item 12: the API's answers about slugs and related links tell nothing about practices
the writer may not see (a draft of another centre here)."""

from __future__ import annotations

from tests.factories import make_practice
from tests.test_api_writes import NEW, _auth


def _create(client, headers, **fields):
    return client.post("/api/v1/practices", json={**NEW, **fields}, headers=headers)


def test_a_taken_slug_gets_the_same_answer_whether_hidden_or_visible(client, session):
    """Rule: "slug not available" in the same words for a hidden practice's slug and a visible one's."""
    hidden = make_practice(
        title="Geheime Kundenliste", slug="geheime-kundenliste", centre="zz-thueringen", status="draft"
    )
    visible = make_practice(title="Offene Checkliste", slug="offene-checkliste", centre="zz-sachsen")
    headers = _auth("tbauer")  # a contributor of zz-sachsen: the draft of zz-thueringen is hidden
    assert client.get(f"/api/v1/practices/{hidden.slug}", headers=headers).status_code == 404
    answers = {slug: _create(client, headers, slug=slug) for slug in (hidden.slug, visible.slug)}
    assert {answer.status_code for answer in answers.values()} == {422}
    bodies = [answer.get_json() for answer in answers.values()]
    assert bodies[0]["detail"] == bodies[1]["detail"] == "slug not available"
    assert [b["errors"]["slug"][0].replace(slug, "…") for b, slug in zip(bodies, answers, strict=True)] == [
        "'…' is not available; choose another"
    ] * 2


def test_a_slug_from_the_title_never_conflicts(client, session):
    """Rule: without a ``slug`` the API chooses a free one from the title, for a hidden practice's
    title as for a visible one's, instead of refusing (which named the hidden practice's slug)."""
    hidden = make_practice(
        title="Geheime Kundenliste", slug="geheime-kundenliste", centre="zz-thueringen", status="draft"
    )
    visible = make_practice(title="Offene Checkliste", slug="offene-checkliste", centre="zz-sachsen")
    headers = _auth("tbauer")
    for practice in (hidden, visible):
        made = _create(client, headers, title=practice.title)
        assert made.status_code == 201, made.get_json()
        assert made.get_json()["slug"] == f"{practice.slug}-2"


def test_related_links_to_a_hidden_practice_are_refused_like_missing_ones(client, session):
    """Rule: a related link may name only a practice the writer may see; a hidden one is answered
    in the same words as one that does not exist."""
    hidden = make_practice(
        title="Geheime Kundenliste", slug="geheime-kundenliste", centre="zz-thueringen", status="draft"
    )
    headers = _auth("tbauer")

    def refusal(target: str) -> str:
        answer = _create(
            client, headers, title=f"Verweis auf {target}", related=[{"slug": target, "type": "see-also"}]
        )
        assert answer.status_code == 422, answer.get_json()
        return str(answer.get_json()["errors"]).replace(target, "…")

    assert refusal(hidden.slug) == refusal("gibt-es-nirgends")
    visible = make_practice(title="Offene Checkliste", slug="offene-checkliste", centre="zz-sachsen")
    linked = _create(client, headers, title="Verweis", related=[{"slug": visible.slug, "type": "see-also"}])
    assert linked.status_code == 201, linked.get_json()
