"""The editor answers a taken address in the same neutral words whoever has it — a practice the
writer sees, a hidden draft of another centre, an old address kept for redirects — as the API does, in German and
English."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hub.extensions import db
from hub.practices.operations import practice_data, update_practice
from tests.factories import make_practice
from tests.support import csrf_token
from tests.test_editor import _errors, valid_form

WORDS = {
    "de": "Diese Adresse ist nicht verfügbar; bitte wählen Sie eine andere.",
    "en": "This address is not available; please choose another.",
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_taken_address_gets_the_same_neutral_answer_whoever_has_it(client, session, login_as, lang):
    """Rule: the slug error names no write-up: the same words for a hidden draft's address (current
    or old) and a visible practice's, so the editor cannot learn that a hidden draft exists."""
    hidden = make_practice(title="Geheime Kundenliste", slug="geheime-kundenliste-x", centre="zz-thueringen",
                           status="draft")
    visible = make_practice(title="Offene Checkliste", slug="offene-checkliste-x", centre="zz-sachsen")
    update_practice(None, hidden, replace(practice_data(hidden), slug="geheime-kundenliste-y"))
    db.session.commit()  # "geheime-kundenliste-x" now redirects to the hidden draft
    login_as("tbauer")  # a contributor of zz-sachsen: the draft of zz-thueringen is hidden from them
    client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client, "/")})
    assert client.get(f"/practices/{hidden.slug}").status_code == 404
    answers = {}
    for slug in ("geheime-kundenliste-x", hidden.slug, visible.slug):
        response = client.post("/practices/new", data=valid_form(client, slug=slug, title=f"Titel {slug}"))
        assert response.status_code == 422
        answers[slug] = _errors(response.get_data(as_text=True)).get("slug")
    assert set(map(tuple, answers.values())) == {(WORDS[lang],)}
