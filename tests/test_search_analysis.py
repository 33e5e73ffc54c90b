"""The one-pass German tokenizer gives exactly the terms, offsets and positions of the filter chain."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.search.analysis import GermanTokenizer, german_analyzer, german_chain, terms

# German words with umlauts, ß, stop words, apostrophes, hyphens, digits and other scripts.
WORDS = ["Büro", "Buero", "Prüfung", "Schulungen", "der", "und", "Straße", "Strasse", "KI-Einsatz",
         "geht's", "E-Rechnung", "2024", "ÄRZTE", "café", "naïve", "über", "Über", "Handwerksbetrieben",
         "ǅ", "İstanbul", "ﬁnanz", "日本", "x", "Die", "DSGVO"]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=30).map(" ".join)


def _tokens(analyzer, text: str, **options):  # noqa: ANN001, ANN202
    return [
        (t.text, t.startchar, t.endchar, getattr(t, "pos", None), t.stopped)
        for t in analyzer(text, chars=True, positions=True, **options)
    ]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_one_pass_tokenizer_equals_the_filter_chain(text):
    assert _tokens(german_analyzer(), text) == _tokens(german_chain(), text)
    assert _tokens(german_analyzer(), text, removestops=False) == _tokens(german_chain(), text, removestops=False)
    assert terms(text) == [t.text for t in german_chain()(text)]


def test_examples():
    assert terms("Die Prüfungen und Schulungen der Handwerksbetriebe") == terms("Pruefung Schulung Handwerksbetrieb")
    assert [t.text for t in GermanTokenizer()("Prüfungen", tokenize=False)] == terms("Pruefung")
