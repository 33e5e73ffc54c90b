"""German analysis: the one-pass tokenizers equal their filter chains; plurals, hyphens, umlauts, n-grams."""

from __future__ import annotations

import pickle
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.analysis import Filter

from hub.search.analysis import (
    NGRAM_SIZE,
    STOP_WORDS,
    GermanTokenizer,
    german_analyzer,
    german_chain,
    ngram_analyzer,
    phrase_terms,
    plain,
    query_grams,
    split_words,
    stem,
    term,
    terms,
    words,
)
from hub.search.documents import make_schema
from hub.search.highlighting import highlight_all, mark_terms
from hub.search.index import SearchIndex, _shape
from hub.search.parsing import Synonyms, parse
from hub.search.sync import get_index, startup
from tests.search_helpers import run
from tests.support import prepare_database

# German words with umlauts, ß, stop words, apostrophes, hyphens, digits and other scripts.
WORDS = ["Büro", "Buero", "Prüfung", "Schulungen", "der", "und", "Straße", "Strasse", "KI-Einsatz",
         "geht's", "E-Rechnung", "2024", "ÄRZTE", "café", "naïve", "über", "Über", "Handwerksbetrieben",
         "ǅ", "İstanbul", "ﬁnanz", "日本", "x", "Die", "DSGVO", "E-Mail-Marketing", "Ein-Klick-Bewerbung",
         "3D-Druck", "2025-01-28", "Cloud‑Lösung", "-kunden", "Straßen-", "Apps", "Systeme", "Gäste",  # noqa: RUF001 - a non-breaking hyphen on purpose
         "Hand-in-Hand", "IT-/Datenschutz", "Berater:innen", "Kund*innen", "Ärzt/Innen", "und/in"]
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=30).map(" ".join)


def _tokens(analyzer, text: str, **options):
    return [
        (t.text, t.startchar, t.endchar, getattr(t, "pos", None), t.stopped)
        for t in analyzer(text, chars=True, positions=True, **options)
    ]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_one_pass_tokenizer_equals_the_filter_chain(text):
    assert _tokens(german_analyzer(), text) == _tokens(german_chain(), text)
    assert _tokens(german_analyzer(), text, removestops=False) == _tokens(german_chain(), text, removestops=False)
    assert _tokens(german_analyzer(join=False), text) == _tokens(german_chain(join=False), text)
    assert terms(text) == [t.text for t in german_chain()(text)]
    assert phrase_terms(text) == [t.text for t in german_chain(join=False)(text)]


def test_examples():
    assert terms("Die Prüfungen und Schulungen der Handwerksbetriebe") == terms("Pruefung Schulung Handwerksbetrieb")
    assert [t.text for t in GermanTokenizer()("Prüfungen", tokenize=False)] == terms("Pruefung")


def test_plurals_meet_their_singular():
    # umlaut plurals, -s plurals of loanwords, and plurals Snowball leaves one ending longer
    for singular, plural in [("Gast", "Gäste"), ("Zahnarzt", "Zahnärzte"), ("Vertrag", "Verträge"),
                             ("Plan", "Pläne"), ("Weingut", "Weingüter"), ("App", "Apps"),
                             ("Workshop", "Workshops"), ("Video", "Videos"), ("Büro", "Büros"),
                             ("Handy", "Handys"), ("System", "Systeme"), ("Kassensystem", "Kassensysteme"),
                             ("Problem", "Probleme"), ("Kurs", "Kurse"), ("Stammgast", "Stammgäste"),
                             ("Küste", "Küsten"), ("groß", "Größe")]:
        assert terms(singular) == terms(plural), (singular, plural)
    # female forms of persons meet the base form
    for base, female in [("Berater", "Beraterinnen"), ("Kunde", "Kundin"), ("Arzt", "Ärztinnen"),
                         ("Patient", "Patientinnen"), ("Mitarbeiter", "Mitarbeiterinnen")]:
        assert terms(base) == terms(female), (base, female)
    # kept literal (rule: an -in that is no female suffix stays — "Termin" is no female "Term")
    assert terms("beginnen Termin Medizin") == ["beginn", "termin", "medizin"]
    for gendered in ("Berater:innen", "Berater*innen", "Berater/innen", "Berater_innen", "BeraterInnen"):
        assert terms(gendered) == terms("Berater"), gendered
    assert terms("Tabelle:in der Regel") == [*terms("Tabelle"), *terms("Regel")]  # ":in " before a space is no gender form
    # ue after a vowel is no umlaut: "Steuer" stays a prefix of "Steuerberater"
    assert terms("Steuern")[0] == terms("Steuer")[0] and terms("Steuerberater")[0].startswith(terms("Steuer")[0])
    # … and words that only look like such plurals keep their s
    # kept literals (rule: the final s of these words is part of the word, not a plural ending)
    assert terms("Hinweis") == terms("Hinweise") == ["hinweis"]
    assert terms("Preis") == terms("Preise") == ["preis"]
    assert terms("Ostseeküsten")[0].endswith(terms("Küste")[0])  # a compound ends in its part
    assert terms("Status") == ["status"]
    # spelled-out umlauts still meet the real ones, and ß meets ss
    assert terms("Gaeste Buero Strasse") == terms("Gäste Büro Straße")
    assert stem("quelle") == "quell"  # kept literal (rule: the u of "qu" is no umlaut, never "quoll")


def test_hyphenated_words_are_found_written_together_or_apart():
    # kept literal (rule: a hyphenated word is indexed as its parts, then written together)
    assert terms("E-Mail") == ["e", "mail", "email"]
    assert terms("Email") == ["email"]
    assert set(terms("Cloudlösung")) <= set(terms("Cloud-Lösung"))
    # rule: the parts in order, then the whole word and each pair of neighbours written together
    marketing = terms("E-Mail-Marketing")
    assert marketing[:3] == ["e", "mail", "marketing"]
    assert set(marketing[3:]) == {"emailmarketing", "email", "mailmarketing"}
    assert phrase_terms("E-Mail-Marketing") == ["e", "mail", "marketing"]  # phrases: the words as written
    assert terms("3D-Drucker") == [*terms("3D"), *terms("Drucker"), *terms("3DDrucker")]
    assert terms("2025-01-28") == ["2025", "01", "28"]  # numbers are not joined
    assert terms("Cloud‑Lösung") == terms("Cloud-Lösung")  # noqa: RUF001 - a non-breaking hyphen is a hyphen
    assert [w for _, _, w in split_words("Straßen- und Tiefbau, -kunden")] == ["Straßen", "und", "Tiefbau", "kunden"]
    joined = split_words("per E-Mail")[-1]
    assert joined == (4, 10, "EMail")  # the joined word covers the whole hyphenated word


def test_query_reads_hyphenated_words_every_way():
    email = parse("E-Mail").groups[0][0]
    assert email.alternatives == (("email",), ("e", "mail"))
    assert parse("E Mail").groups[0][0].alternatives == email.alternatives  # a lone letter joins the next word
    assert parse("Email").groups[0][0].alternatives == (("email",),)
    marketing = parse("E-Mail-Marketing").groups[0][0].alternatives
    assert marketing[:2] == (("emailmarketing",), ("e", "mail", "marketing"))
    assert ("email", "marketing") in marketing
    assert parse("E-Mail -Rechnung").excluded[0].alternatives == (("rechnung",),)
    # synonyms meet hyphenated words however they are written
    synonyms = Synonyms([["E-Rechnung", "elektronische Rechnung"]])
    for written in ("E-Rechnung", "ERechnung", "E Rechnung"):
        assert ("elektron", "rechnung") in parse(written, synonyms).groups[0][0].alternatives, written


def test_hyphenated_words_are_highlighted_whole():
    marks = mark_terms(parse("Email"))
    assert highlight_all("Per E-Mail-Marketing, nicht E-Rechnung", marks) == (
        "Per <mark>E-Mail-Marketing</mark>, nicht E-Rechnung"
    )
    marks = mark_terms(parse("E-Mail"))  # its "e" lights up no "E-" of other words
    assert highlight_all("Eine E-Rechnung per Mail", marks) == "Eine E-Rechnung per <mark>Mail</mark>"
    assert highlight_all("Gäste und ein Gast", mark_terms(parse("Gast"))) == (
        "<mark>Gäste</mark> und ein <mark>Gast</mark>"
    )


def test_an_index_built_with_another_analysis_is_outdated(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.folder()
    assert not index.outdated()
    index.close()
    # a copy: the schema's analyzers are shared module-level objects that later tests still use
    old = pickle.loads(pickle.dumps(make_schema()))  # noqa: S301 - our own schema, pickled here
    for _, field in old.items():  # as unpickled from an index built before analysis versions
        for item in getattr(getattr(field, "analyzer", None), "items", []):
            item.__dict__.pop("version", None)
    assert _shape(old) != _shape(make_schema())
    folder = index._new_folder()
    whoosh_index.create_in(str(folder), old)
    index._point_at(folder)
    assert SearchIndex(tmp_path / "index").outdated()


class VanishedFilter(Filter):
    """Stands for an analysis class a later version of the hub no longer has."""

    def __call__(self, tokens):
        yield from tokens


def test_an_index_naming_analysis_classes_this_version_lacks_is_outdated(tmp_path, monkeypatch):
    index = SearchIndex(tmp_path / "index")
    old = make_schema()
    old["title"].analyzer = old["title"].analyzer | VanishedFilter()
    folder = index._new_folder()
    whoosh_index.create_in(str(folder), old)
    index._point_at(folder)
    monkeypatch.delattr(sys.modules[__name__], "VanishedFilter")
    assert SearchIndex(tmp_path / "index").outdated()  # unreadable: rebuilt at start, never a crash


def test_start_up_rebuilds_an_index_this_version_cannot_read(fresh_app, monkeypatch):
    prepare_database(fresh_app)
    index = get_index(fresh_app)
    old = make_schema()
    old["title"].analyzer = old["title"].analyzer | VanishedFilter()
    folder = index._new_folder()
    whoosh_index.create_in(str(folder), old)
    index._point_at(folder)
    index.close()
    monkeypatch.delattr(sys.modules[__name__], "VanishedFilter")
    startup(fresh_app)
    assert not index.outdated() and index.doc_count() > 0
    with fresh_app.test_request_context():
        assert run("Schichtplanung").total > 0


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_ngrams_are_cut_from_the_plain_words(text):
    kept = [plain(w) for w in words(text) if len(w) >= NGRAM_SIZE and w not in STOP_WORDS]
    expected = [w[i : i + NGRAM_SIZE] for w in kept for i in range(len(w) - NGRAM_SIZE + 1)]
    assert [t.text for t in ngram_analyzer()(text)] == expected


def test_a_part_of_a_compound_meets_its_ngrams():
    grams = {t.text for t in ngram_analyzer()("Gästemappe per E-Mail-Versand")}
    for part in ("Gäste", "Gaeste", "Mappe", "Email", "Versand"):
        assert set(query_grams(term(part))) <= grams, part


def test_negations_are_indexed_but_no_plain_query_words():
    assert terms("Einführung ohne Schulung") == [*terms("Einführung"), *terms("ohne"), *terms("Schulung")]
    assert terms("ohne") != []  # a negation is no stop word
    assert terms("die und der") == []
    assert [c.text for g in parse("Cloud ohne Notfallkonzept").groups for c in g] == ["Cloud", "Notfallkonzept"]
    assert parse('"kein Papier"').groups[0][0].alternatives == (tuple(phrase_terms("kein Papier")),)
    assert "kein" in phrase_terms("kein Papier")  # the negation stays in the phrase
    assert highlight_all("kein Papier", mark_terms(parse('"kein Papier"'))) == "kein <mark>Papier</mark>"
