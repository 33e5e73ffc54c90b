"""German relevance over the demo corpus: each query finds the expected practice in the top 3.

Every case is tagged with what it exercises: inflection, umlaut, compound, typo, synonym, phrase,
filter or visibility. Runs against the real Whoosh index of the demo hub, on both backends.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import User
from hub.search.searching import SearchRequest, search
from hub.search.sync import get_index
from tests.search_helpers import copy_practice, run

# (tag, query, filters, user, expected slug in the top 3)
CASES = [
    ("inflection", "Schulungen", {}, None, "datenschutz-schulung-arztpraxis"),
    ("inflection", "Dienstpläne Gastronomie", {}, None, "dienstplan-gastronomie"),
    ("inflection", "Tourenplanungen", {}, None, "tourenplanung-pflegedienst"),
    ("inflection", "Chatbots", {}, None, "chatbot-hotel"),
    ("inflection", "Lernvideo", {}, None, "azubi-lernvideos-metallbau"),
    ("inflection", "Friseursalons", {}, None, "online-terminbuchung-friseur"),
    ("inflection", "Datenbrillen", {}, "jlehmann", "datenbrille-fernwartung"),
    ("umlaut", "Buero", {}, None, "wissensmanagement-ingenieurbuero"),
    ("umlaut", "Baeckerei", {}, None, "schichtplanung-baeckerei-beteiligung"),
    ("umlaut", "Kuestenfischer", {}, None, "direktvermarktung-kuestenfischerei"),
    ("umlaut", "Gaestemappe", {}, None, "digitale-gaestemappe"),
    ("umlaut", "Fuehrung Museum", {}, None, "museum-digitale-fuehrung"),
    ("umlaut", "Uebersetzer", {}, None, "ki-tools-uebersetzer"),
    ("umlaut", "Saisonkraefte", {}, None, "saisonkraefte-onboarding-video"),
    ("umlaut", "Selbststaendige Preisgestaltung", {}, None, "preisgestaltung-solo-selbststaendige"),
    ("compound", "planung Spedition", {}, None, "tourenplanung-spedition"),
    ("compound", "Fischerei", {}, None, "direktvermarktung-kuestenfischerei"),
    ("compound", "Dokumentation Baustelle", {}, None, "digitale-baustellendokumentation"),
    ("compound", "Makler", {}, None, "crm-versicherungsmakler"),
    ("compound", "Terminbuchung", {}, None, "online-terminbuchung-friseur"),
    ("compound", "Betrieb Rechnung", {}, None, "e-rechnung-handwerk"),
    ("typo", "Schichtplnung", {}, None, "digitale-schichtplanung-pflege"),
    ("typo", "Datenshutz Arztpraxis", {}, None, "datenschutz-schulung-arztpraxis"),
    ("typo", "Tourenplanug", {}, None, "tourenplanung-spedition"),
    ("typo", "Onlinshop Fahrrad", {}, None, "onlineshop-fahrradhandel"),
    ("typo", "Wissensmanagment", {}, None, "wissensmanagement-ingenieurbuero"),
    ("typo", "Direktvermarktng", {}, None, "hofladen-digital"),
    ("synonym", "Künstliche Intelligenz Workshop", {}, None, "ki-grundlagen-workshop"),
    ("synonym", "DSGVO Schulung", {}, None, "datenschutz-schulung-arztpraxis"),
    ("synonym", "LLM Angebote", {}, None, "ki-angebote-tischlerei"),
    ("synonym", "Kundenverwaltung", {}, None, "crm-versicherungsmakler"),
    ("synonym", "Warenwirtschaftssystem", {}, None, "erp-einfuehrung-gescheitert"),
    ("synonym", "elektronische Rechnung Handwerk", {}, None, "e-rechnung-handwerk"),
    ("synonym", "Telearbeit", {}, None, "mobiles-arbeiten-steuerbuero"),
    ("synonym", "AI Grundlagen", {}, None, "ki-grundlagen-workshop"),
    ("phrase", '"digitale Schichtplanung"', {}, None, "digitale-schichtplanung-pflege"),
    ("phrase", '"Click & Collect"', {}, None, "click-and-collect-buchhandlung"),
    ("phrase", '"mobiles Arbeiten"', {}, None, "mobiles-arbeiten-steuerbuero"),
    ("phrase", "Chatbot -Ostseehotel", {}, None, "chatbot-ferienwohnungen-gescheitert"),
    ("phrase", "Hofladen OR Fischer", {}, None, "hofladen-digital"),
    ("filter", "Tourenplanung", {"sector": ["Q"]}, None, "tourenplanung-pflegedienst"),
    ("filter", "Tourenplanung", {"sector": ["H"]}, None, "tourenplanung-spedition"),
    ("filter", "KI", {"outcome": ["failed"]}, None, "chatbot-ferienwohnungen-gescheitert"),
    ("filter", "", {"kind": ["lesson-learned"], "sector": ["C"]}, None, "erp-einfuehrung-gescheitert"),
    ("filter", "E-Rechnung", {"size": ["solo"]}, None, "e-rechnung-solo-selbststaendige"),
    ("visibility", "Datenbrille Fernwartung", {}, "jlehmann", "datenbrille-fernwartung"),
    ("visibility", "Notfallkonzept Cloud", {}, "jlehmann", "cloud-umstellung-ohne-notfallkonzept"),
    ("visibility", "Nutzungsrichtlinie", {}, "aschmidt", "ki-nutzungsrichtlinie-kmu"),
]


def _user(username: str | None) -> User | None:
    if username is None:
        return None
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def _top(query: str, filters: dict[str, list[str]], username: str | None, **options: object) -> list[str]:
    request = SearchRequest(q=query, filters=filters, **options)  # type: ignore[arg-type]
    result = search(get_index(), db.session, _user(username), request)
    return [hit.card["slug"] for hit in result.hits]


@pytest.mark.parametrize(
    ("tag", "query", "filters", "username", "expected"),
    CASES,
    ids=[f"{case[0]}:{case[1] or case[2]}" for case in CASES],
)
def test_expected_practice_in_top_three(session, tag, query, filters, username, expected):
    top = _top(query, filters, username)
    assert expected in top[:3], (tag, query, top[:5])


def test_excluded_word_removes_its_practices(session):
    assert "chatbot-hotel" not in _top("Chatbot -Ostseehotel", {}, None)
    assert "chatbot-hotel" in _top("chatbot", {}, None)


def test_umlaut_spellings_find_the_same(session):
    assert _top("Büro", {}, None) == _top("Buero", {}, None)
    assert _top("Prüfung", {}, "admin") == _top("Pruefung", {}, "admin")
    assert _top("Bäckerei", {}, None)[:3] == _top("Baeckerei", {}, None)[:3]


def test_whole_words_outrank_parts_of_compounds(session):
    # The same title but for "Planung" as a word or inside a compound: the whole word ranks first.
    copy_practice("hofladen-digital", "zauber-compound", "Zauberschulplanung im Hexenwald")
    copy_practice("hofladen-digital", "zauber-whole", "Zauberschul-Planung im Hexenwald")
    db.session.commit()
    found = _top("Planung Hexenwald", {}, None)
    assert found[:2] == ["zauber-whole", "zauber-compound"]
    assert {"zauber-whole", "zauber-compound"} <= set(_top("Hexenwald", {}, None))


def test_a_part_of_a_compound_finds_it_in_the_body_alone(session):
    # Neither title, summary nor tags say it: only the body has the compound (made-up words).
    word = "Die Zauberkesselwartungen laufen jetzt über ein Tablet."
    copy_practice("hofladen-digital", "kessel-compound", "Hexenküche digital", body=word)
    copy_practice(
        "hofladen-digital", "kessel-whole", "Hexenküche vernetzt", body="Die Kesselwartung läuft digital."
    )
    copy_practice("hofladen-digital", "kessel-none", "Hexenküche ohne Kessel", body="Nichts davon.")
    db.session.commit()

    found = _top("Kesselwartung", {}, None)
    assert found[:2] == ["kessel-whole", "kessel-compound"]  # the whole word ranks above the part
    assert "kessel-none" not in found
    assert "kessel-compound" not in _top("Hexenküche -Kesselwartung", {}, None)
    hit = next(h for h in run("Kesselwartung").hits if h.card["slug"] == "kessel-compound")
    assert "<mark>Zauberkesselwartungen</mark>" in hit.snippet


def test_hidden_practices_are_not_found_by_anonymous_visitors(session):
    assert "datenbrille-fernwartung" not in _top("Datenbrille Fernwartung", {}, None)
    assert "ki-agenten-pilot" not in _top("KI-Agenten", {}, "jlehmann", statuses=["draft"])
    assert "ki-agenten-pilot" in _top("KI-Agenten", {}, "admin", statuses=["draft"])
