"""Tags follow the visibility rule (issue 11, item 7): a tag only hidden practices carry is neither
suggested nor shown to someone who may not see those practices, and counts count visible ones only."""

from __future__ import annotations

import pytest

from tests.factories import make_practice, user


@pytest.fixture
def tagged(session):
    make_practice(
        user("kwagner"), centre="zz-brandenburg", status="draft", tags=["geheimprojekt", "gemeinsam"]
    )
    make_practice(tags=["gemeinsam"])


def _suggested(client, prefix: str) -> dict[str, int]:
    response = client.get(f"/practices/suggest/tags?q={prefix}")
    assert response.status_code == 200
    return {hit["name"]: hit["count"] for hit in response.get_json()}


@pytest.mark.parametrize("reader", ["jlehmann", "aschmidt"])
def test_tags_of_hidden_drafts_are_not_suggested_and_not_counted(client, login_as, tagged, reader):
    """Rule: autocomplete suggests and counts only over practices the reader may see."""
    login_as(reader)
    assert "geheimprojekt" not in _suggested(client, "geheim")
    assert _suggested(client, "gemein")["gemeinsam"] == 1


def test_the_author_gets_the_tags_of_their_draft(client, login_as, tagged):
    """Rule: who may see the draft gets its tags, counted with it."""
    login_as("kwagner")
    assert "geheimprojekt" in _suggested(client, "geheim")
    assert _suggested(client, "gemein")["gemeinsam"] == 2


@pytest.mark.parametrize("reader", [None, "jlehmann"])
def test_a_tag_page_of_hidden_practices_only_does_not_exist_for_outsiders(client, login_as, tagged, reader):
    """Rule: hidden and missing tags look alike; the tag list counts visible practices."""
    if reader:
        login_as(reader)
    assert client.get("/tags/geheimprojekt").status_code == 404
    assert client.get("/tags/gemeinsam").status_code == 200
    listing = client.get("/tags/").get_data(as_text=True)
    assert "geheimprojekt" not in listing


def test_the_tag_page_of_a_draft_opens_for_its_author(client, login_as, tagged):
    """Rule: the author may open the tag page of their draft's tag."""
    login_as("kwagner")
    assert client.get("/tags/geheimprojekt").status_code == 200
