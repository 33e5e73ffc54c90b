"""The memoised text field (``hub.search.fields.Text``) indexes exactly what whoosh's ``TEXT`` does."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Filter
from whoosh.fields import TEXT

from bench.corpus import PLACES, SUBJECTS, realistic_body
from hub.markdown import plain_text
from hub.search.analysis import german_analyzer
from hub.search.documents import make_schema
from hub.search.fields import Text
from hub.search.index import _shape

CONTENT = Path(__file__).resolve().parent.parent / "content" / "practices"
TEXT_FIELDS = [name for name, field in make_schema().items() if isinstance(field, Text)]
WORDS = ["Büro", "Buero", "der", "und", "Straße", "KI-Einsatz", "geht's", "E-Rechnung", "2024", "ÄRZTE",
         "café", "Handwerksbetrieben", "ǅ", "İstanbul", "ﬁnanz", "日本", "x", "E-Mail-Marketing",
         "Ein-Klick-Bewerbung", "3D-Druck", "2025-01-28", "Cloud‑Lösung", "-kunden", "Straßen-", "Apps",  # noqa: RUF001 — a non-breaking hyphen on purpose
         "Berater:innen", "Kund*innen", "Ärzt/Innen", "und/in", "Berater:innenx", "ohne", "IT-/Datenschutz"]


def _whoosh_postings(field: Text, value: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(TEXT.index(field, value))  # whoosh's own path: the analyzer, token by token


def _postings(field: Text, value: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(field.index(value))


def _texts() -> list[str]:
    demo = [path.read_text(encoding="utf-8") for path in sorted(CONTENT.glob("*.md"))]
    rng = random.Random(7)
    generated = [realistic_body(rng, rng.choice(SUBJECTS), rng.choice(PLACES)) for _ in range(40)]
    return demo + [plain_text(text) for text in demo] + generated + [plain_text(text) for text in generated]


def test_the_demo_corpus_and_generated_write_ups_give_whooshs_postings():
    schema = make_schema()  # one schema: its memos fill up over the texts, as in a rebuild
    texts = _texts()
    assert len(texts) > 150
    for name in TEXT_FIELDS:
        field = schema[name]
        for text in texts:
            assert _postings(field, text) == _whoosh_postings(field, text), (name, text[:80])
    # warm memos give the same as cold ones
    cold = make_schema()
    for name in TEXT_FIELDS:
        for text in texts[:5]:
            assert _postings(cold[name], text) == _postings(schema[name], text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=30).map(" ".join))
def test_any_text_gives_whooshs_postings(text):
    schema = make_schema()
    for name in TEXT_FIELDS:
        assert _postings(schema[name], text) == _whoosh_postings(schema[name], text), name


def test_the_memo_is_never_pickled_and_the_index_shape_stays_whooshs():
    schema = make_schema()
    list(schema["body"].index("Die Beschäftigten wurden beteiligt"))
    assert "_terms" in schema["body"].__dict__
    copy = pickle.loads(pickle.dumps(schema))  # noqa: S301 - our own schema
    assert "_terms" not in copy["body"].__dict__
    assert _postings(copy["body"], "Beschäftigte") == _whoosh_postings(copy["body"], "Beschäftigte")
    whooshs = make_schema()
    whooshs.remove("body")
    whooshs.add("body", TEXT(analyzer=german_analyzer(), field_boost=1.0, phrase=False))
    assert _shape(whooshs) == _shape(make_schema())  # an index written with whoosh's TEXT stays current


class Reversed(Filter):
    """Depends on the whole text (reverses the token order's texts pairwise): not memoisable."""

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = previous + text
            previous = text
            yield token


def test_an_analyzer_with_other_parts_is_left_to_whoosh():
    field = Text(analyzer=german_analyzer() | Reversed(), phrase=False)
    assert field._memo() is None
    assert _postings(field, "Schulung Beratung Schulung") == _whoosh_postings(
        field, "Schulung Beratung Schulung"
    )
    assert (b"schulungberat", 1, 1.0, b"\x00\x00\x00\x01") in _postings(field, "Schulung Beratung Schulung")
