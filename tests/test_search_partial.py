"""No dead ends and compounds in the query (issue 16, items 1 and 2): partial matches ranked by
coverage, fillers left out, operators keeping their meaning, compounds split by the index's own
vocabulary (linking elements, umlaut plurals, synonyms on parts), the message on the page and the
match mode in the API, exact totals and facets. Made-up words keep the demo corpus out of the way.
"""

from __future__ import annotations

import numpy as np
import pytest

from hub.extensions import db
from hub.models import SynonymGroup
from hub.search import partial
from hub.search.arrays import arrays_for
from hub.search.building import body_compounds
from hub.search.caches import bounded
from hub.search.decompound import Decompounder
from hub.search.fillers import FILLERS
from hub.search.parsing import parse
from hub.search.searching import synonyms_for
from hub.search.sync import get_index
from tests.search_helpers import copy_practice, run, slugs

SOURCE = "hofladen-digital"


def _three_practices() -> None:
    """Each of the three made-up words in two of three practices: no practice has all three."""
    copy_practice(SOURCE, "qb-flunker", "Quibbelboote mit Flunkermesser pflegen")
    copy_practice(SOURCE, "qb-zange", "Quibbelboote und die Schnorchelzange")
    copy_practice(SOURCE, "zange-flunker", "Schnorchelzange neben dem Flunkermesser")
    copy_practice(SOURCE, "nur-qb", "Quibbelboote allein")
    db.session.commit()


THREE = "Quibbelboote Schnorchelzange Flunkermesser"


def test_partial_matches_rank_by_coverage_when_no_practice_has_every_word(session):
    _three_practices()
    result = run(THREE, per_page=50)
    # two of three words: shown; one of three (nur-qb): less than most of the words, left out
    assert sorted(slugs(result)) == ["qb-flunker", "qb-zange", "zange-flunker"]
    assert result.match == "partial" and result.complete == 0 and result.total == 3


def test_practices_with_every_word_come_first(session):
    _three_practices()
    copy_practice(SOURCE, "alle-drei", "Flunkermesser, Schnorchelzange und Quibbelboote im Test")
    db.session.commit()
    result = run(THREE, per_page=50)
    assert slugs(result)[0] == "alle-drei"
    assert result.match == "partial" and result.complete == 1 and result.total == 4


def test_operators_keep_their_meaning_in_partial_matches(session):
    _three_practices()
    assert slugs(run("Quibbelboote Schnorchelzange -Flunkermesser")) == ["qb-zange", "nur-qb"]
    assert sorted(slugs(run("+Flunkermesser Quibbelboote Schnorchelzange"))) == [
        "qb-flunker",
        "zange-flunker",
    ]
    assert slugs(run(THREE, all_words=True)) == []
    phrased = run('"Flunkermesser pflegen" Quibbelboote Schnorchelzange')
    assert slugs(phrased) == ["qb-flunker"]  # a phrase is required (zange-flunker has the word only)
    either = run("Quibbelboote OR Schnorchelzange Flunkermesser")  # the OR group counts as one word
    assert sorted(slugs(either)[:2]) == ["qb-flunker", "zange-flunker"]
    assert set(slugs(either)[2:]) == {"qb-zange", "nur-qb"} and either.complete == 2


def test_fillers_never_decide_but_stay_when_alone_or_quoted():
    assert {
        "wie",
        "kann",
        "ich",
        "man",
        "gibt",
        "es",
        "meine",
        "dazu",
        "sollte",
        "muss",
        "tun",
        "wenn",
    } <= FILLERS
    asked = parse("wie kann man Quibbelboote pflegen, was tun?")
    assert [clause.text for group in asked.groups for clause in group] == ["Quibbelboote", "pflegen,"]
    assert parse("gibt").groups  # the whole query: kept
    assert parse('"gibt es" Quibbelboote').groups[0][0].phrase  # quoted: kept
    assert [c.text for g in parse("+gibt Quibbelboote").groups for c in g] == ["gibt", "Quibbelboote"]


def test_question_finds_what_its_words_find(session):
    _three_practices()
    asked = run("was tun, wenn man Schnorchelzange und Flunkermesser pflegen muss? gibt es das")
    plain = run("Schnorchelzange Flunkermesser pflegen")
    assert slugs(asked) and slugs(asked) == slugs(plain) and asked.total == plain.total


def test_compound_split_by_vocabulary_with_linking_elements_and_umlaut_plurals(session):
    copy_practice(SOURCE, "teile", "Die Klöppelhäuser und ihre Quibbelboote: ein Wimmelplan")
    db.session.commit()
    index = get_index()
    splitter = Decompounder(index.searcher(), bounded(100))
    assert splitter.split("Quibbelbootwimmelplan").parts == ("quibbelboot", "wimmelplan")
    assert splitter.split("Quibbelbootswimmelplan").parts == ("quibbelboot", "wimmelplan")  # -s-
    assert splitter.split("Klöppelhauswimmelplan").parts == ("kloeppelhaus", "wimmelplan")  # Häuser → Haus
    # the index terms of the parts (a linking element may go with the part or between)
    assert splitter.split("Klöppelhausesquibbelboot").terms == ("kloppelhaus", "quibbelboot")  # -es-
    assert splitter.split("Quibbelbooteklöppelhaus").terms == ("quibbelboot", "kloppelhaus")  # -e-
    assert splitter.split("Wimmelplänequibbelboot").terms == ("wimmelplan", "quibbelboot")  # Pläne
    assert splitter.split("Abquibbelboot") is None  # "ab": a part too short
    assert splitter.split("Zzyzxquibbelboot") is None  # an unknown part
    found = run("Quibbelbootswimmelplan")
    assert slugs(found) == ["teile"]
    assert "<mark>Quibbelboote</mark>" in found.hits[0].title  # the parts are highlighted
    assert slugs(run("Klöppelhauswimmelplan")) == ["teile"]


def test_whole_compound_ranks_above_its_parts(session):
    # the parts stand out (title, summary, twice); the whole word is once in the body
    strong = "Wimmelplan für Quibbelboote: Quibbelboote im Wimmelplan"
    copy_practice(SOURCE, "teile", strong, summary=strong)
    copy_practice(SOURCE, "ganz", "Ein Hofladen", body="Unser Quibbelbootwimmelplan hängt im Laden.")
    db.session.commit()
    assert slugs(run("Quibbelbootwimmelplan")) == ["ganz", "teile"]


def test_a_compound_covers_its_word_through_parts_in_the_coordination(session):
    copy_practice(SOURCE, "teile", "Wimmelplan für Quibbelboote und Schnorchelzange")
    copy_practice(SOURCE, "ein-teil", "Wimmelplan und Schnorchelzange")
    db.session.commit()
    result = run("Quibbelbootwimmelplan Schnorchelzange")
    assert slugs(result) == ["teile", "ein-teil"]  # every word (by parts), then half of the compound
    assert result.complete == 1 and result.match == "partial"


@pytest.fixture
def fresh_synonyms():
    """Synonyms read from the database now, and not kept for the next test (they are cached for
    30 s per index, and this test's group is rolled back)."""
    index = get_index()
    index.synonyms = None
    yield
    index.synonyms = None


def test_synonyms_apply_to_parts_and_to_the_compound(session, fresh_synonyms):
    db.session.add(SynonymGroup(terms=["Quibbel", "Wobbel"], position=99))
    copy_practice(SOURCE, "ganz", "Eine Wobbelanlage im Stall")
    copy_practice(SOURCE, "getrennt", "Wobbel-Technik: die Zwirbelheft-Ablage der Lehrlinge")
    db.session.commit()
    assert slugs(run("Quibbelanlage"))[0] == "ganz"  # the compound respelled: Wobbelanlage
    strong = "Wobbel und Anlage: jede Anlage mit Wobbel"
    copy_practice(SOURCE, "auseinander", strong, summary=strong)
    db.session.commit()
    assert slugs(run("Quibbelanlage"))[:2] == ["ganz", "auseinander"]  # the respelled word is whole
    assert "getrennt" in slugs(run("Quibbelzwirbelheft"))  # the parts: Wobbel … Zwirbelheft


@pytest.mark.parametrize("path", ["/search", "/api/v1/search"])
def test_message_match_mode_totals_and_facets_are_exact(client, session, path):
    _three_practices()
    if path == "/search":
        html = client.get("/search", query_string={"q": THREE}).get_data(as_text=True)
        assert "Keine Treffer für alle Wörter – Ergebnisse, die die meisten enthalten" in html
        checked = client.get("/search", query_string={"q": THREE, "all": "1"}).get_data(as_text=True)
        assert "Keine Treffer für alle Wörter" not in checked and 'name="all" value="1" checked' in checked
        return
    data = client.get(path, query_string={"q": THREE}).get_json()
    assert (data["match"], data["complete"], data["total"]) == ("partial", 0, 3)
    assert sum(data["facets"]["kind"].values()) == data["total"]  # one kind per practice
    for value, count in data["facets"]["centre"].items():
        narrowed = client.get(path, query_string={"q": THREE, "centre": value}).get_json()
        assert narrowed["total"] == count  # a click gives what the facet said
    every = client.get(path, query_string={"q": THREE, "all": "1"}).get_json()
    assert (every["match"], every["total"]) == ("all", 0)
    assert client.get(path, query_string={"q": THREE, "all": "maybe"}).status_code == 400
    assert partial.FEW == 10  # "few": documented in README and hub/search/partial.py


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 50])
def test_the_page_of_partial_matches_is_the_full_ordering_cut(session, limit):
    """Only the documents that can reach the page by coverage and whole words are scored; the page
    is the one the whole ordering (coverage, whole words, relevance, document number) gives."""
    _three_practices()
    copy_practice(SOURCE, "alle-drei", "Flunkermesser, Schnorchelzange und Quibbelboote im Test")
    copy_practice(SOURCE, "qb-zange-2", "Quibbelboote an der Schnorchelzange")
    db.session.commit()
    index = get_index()
    searcher = index.searcher()
    arrays = arrays_for(index, searcher)
    synonyms = synonyms_for(index, db.session)
    for text in (THREE, "Quibbelboote Schnorchelzange Flunkermesser Hofladen digital"):
        parsed = parse(text, synonyms)
        splitter = Decompounder(searcher, bounded(100), synonyms)
        units = partial.units(parsed, synonyms, splitter, compounds=body_compounds(arrays), expand=None)
        widened = partial.widen(arrays, units, arrays.live, None, all_words=False)
        scores = arrays.ranker.scores(widened.query)
        docs = np.flatnonzero(widened.docs.mask(len(scores)))
        order = np.lexsort((docs, -scores[docs], -widened.whole[docs], -np.round(widened.coverage[docs], 3)))
        expected = [(int(docs[i]), float(scores[docs[i]])) for i in order[:limit]]
        assert widened.top(arrays.ranker, widened.docs, limit) == expected, text
        assert len(expected) == min(limit, len(docs))
