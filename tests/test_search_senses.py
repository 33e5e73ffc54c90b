"""Senses and "Meinten Sie" (issue 16 items 3 and 6), on both databases with the real index.

The index folds umlauts and stems with Snowball, so Förderung/Forderung and Berater/Beratung meet;
the words as written (``hub.search.senses``) rank the typed word's own forms first without
changing what is found. Suggestions come from the words of public practices as written.
"""

from __future__ import annotations

import pytest

from hub.extensions import db
from hub.search.senses import field_value, key, spellings
from tests.search_helpers import copy_practice, run, slugs

BODY = "Ein Betrieb erzählt, wie es lief."


def _pair(first: tuple[str, str], second: tuple[str, str]) -> None:
    """Two practices alike but for one word of the title (and summary)."""
    for slug, word in (first, second):
        copy_practice(
            "hofladen-digital", slug, f"{word} im Zauberhandwerk", summary=f"Über {word} im Betrieb.", body=BODY
        )
    db.session.commit()


def test_keys_join_inflections_never_two_nouns():
    """Pins ``key``: inflections of one noun meet, two nouns Snowball merges (or umlauts tell apart) do not."""
    family = {key(w.lower()) for w in ("Berater", "Beraters", "Beratern", "Beraterin", "Beraterinnen", "Berater:innen")}
    assert family == {"berater"}
    assert {key("beratung"), key("beratungen")} == {"beratung"}
    assert key("förderung") == key("förderungen") != key("forderung") == key("forderungen")
    assert key("küche") == key("küchen") != key("kuchen")
    assert key("zähler") == key("zählern") != key("zahler")
    assert key("prozess") == key("prozesse") and key("ergebnis") == key("ergebnisse") and key("apps") == key("app")
    assert all(key(w).startswith(key(w)) and w.startswith(key(w)) for w in ("beraterinnen", "kuchens", "betriebes"))


def test_spellings_read_spelled_out_umlauts_both_ways():
    assert spellings("Foerderung") == ["foerderung", "förderung"]
    assert spellings("Förderung") == ["förderung", "foerderung"]
    assert spellings("Steuerberater") == ["steuerberater"]  # "ue" after e is no umlaut
    assert "zählerstände" in spellings("Zaehlerstaende")


def test_forms_keep_each_word_once_in_its_most_important_field():
    value = field_value("Förderung im Betrieb", "Die Förderung kam", "foerderung", "Forderungen und Förderung 2025")
    title, summary, meta, body = value.split("\n")
    assert title.split() == ["förderung", "betrieb"]
    assert summary.split() == ["kam"]  # "die" is a stop word, "förderung" stands in the title already
    assert meta.split() == ["foerderung"]
    assert body.split() == ["forderungen"]  # digits and stop words are left out


@pytest.mark.parametrize("typed", ["Förderung", "Foerderung"])
def test_the_word_typed_with_umlaut_ranks_above_its_folded_homograph(session, typed):
    """Pins item 3: Förderung above Forderung, also typed as "Foerderung"; both are found. (The
    homograph is written first: with equal scores it would come first.)"""
    _pair(("sinn-forderung", "Forderung"), ("sinn-foerderung", "Förderung"))
    found = [slug for slug in slugs(run(typed)) if slug.startswith("sinn-")]
    assert found == ["sinn-foerderung", "sinn-forderung"]


def test_the_word_typed_without_umlaut_ranks_above_the_umlaut_word(session):
    """Pins item 3 the other way round: Forderung above Förderung, the page order reversed."""
    _pair(("sinn-forderung", "Forderungen"), ("sinn-foerderung", "Förderungen"))
    found = [slug for slug in slugs(run("Forderung")) if slug.startswith("sinn-")]
    assert found == ["sinn-forderung", "sinn-foerderung"]
    found = [slug for slug in slugs(run("Förderungen")) if slug.startswith("sinn-")]
    assert found == ["sinn-foerderung", "sinn-forderung"]


@pytest.mark.parametrize(("typed", "first"), [("Berater", "sinn-berater"), ("Beratungen", "sinn-beratung"),
                                              ("Beraterinnen", "sinn-berater"), ("Beratung", "sinn-beratung")])
def test_a_snowball_collision_ranks_the_typed_noun_and_its_inflections_first(session, typed, first):
    """Pins item 3: Berater and Beratung share a stem; the typed noun's own forms come first."""
    _pair(("sinn-beratung", "Beratungen"), ("sinn-berater", "Beraterinnen"))
    found = [slug for slug in slugs(run(typed)) if slug.startswith("sinn-")]
    assert found[0] == first and len(found) == 2


def test_senses_rank_but_never_filter(session):
    """The forms add to the ranking only: what is found and the totals stay those of the stems."""
    _pair(("sinn-foerderung", "Förderung"), ("sinn-forderung", "Forderung"))
    assert run("Förderung").total == run("Forderung").total == run("Foerderung").total


def test_suggestion_is_the_most_frequent_written_form_never_an_inflection_of_a_query_word(session):
    """Pins item 6: a genitive written in fewer practices ("Digitalisierungs-Check") is not offered,
    though closer to what was typed, when the word's common form is "Digitalisierung"; no
    inflection of a word the query already has; an umlaut, not its spelled-out tag."""
    copy_practice("hofladen-digital", "check", "Der Digitalisierungs-Check")
    for number in range(3):
        copy_practice("hofladen-digital", f"weg-{number}", f"Weg Nummer {number}", summary="Digitalisierung im Laden.")
    db.session.commit()
    assert run("Digitalisirungs").suggestion == "Digitalisierung"
    assert run("Digitalisierung Digitalisirungs").suggestion is None
    assert run("Gaestemape").suggestion == "Gästemappe"  # the umlaut, not the spelled-out tag


def test_suggestions_come_from_public_bodies_and_nothing_hidden(session):
    """Pins item 6 with the visibility rule: a word only in a public body is offered, a word only in
    a hidden draft's body is not (for anonymous readers)."""
    copy_practice("hofladen-digital", "koerper", "Öffentlich", body="Wir nutzen den Quittungsscanner täglich.")
    copy_practice("hofladen-digital", "geheim", "Entwurf", body="Die Belegdrohne bleibt geheim.", status="draft")
    db.session.commit()
    assert run("Quittungsscaner").suggestion == "Quittungsscanner"
    assert run("Belegdrone").suggestion is None
