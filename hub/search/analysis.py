"""German text analysis, the same for documents and queries.

lower-case → umlaut folding (ä/ö/ü/ß and ae/oe/ue/ss meet) → German stop words → German Snowball
stem, in one pass (``GermanTokenizer``, tested equal to whoosh's filter chain doing the same in five
steps, ``german_chain``). The pair analyzer joins adjacent terms, so that a phrase is found by
looking up its pairs. The n-gram side analyzer cuts the stems into 4-grams, so a part of a
compound ("planung") finds the whole ("Schichtplanung"); the spelling analyzer keeps whole,
unstemmed words for "Meinten Sie …?" suggestions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import (
    Analyzer,
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang import stemmer_for_language, stopwords_for_language

# Words: letters and digits, joined by inner apostrophes; hyphens split ("E-Rechnung" → e, rechnung).
WORD_PATTERN = r"\w+(?:['’]\w+)*"
NGRAM_SIZE = 4

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "à": "a", "á": "a", "â": "a",
                       "é": "e", "è": "e", "ê": "e", "ë": "e", "ï": "i", "î": "i", "ç": "c", "ñ": "n",
                       "ó": "o", "ô": "o", "ú": "u", "û": "u"})  # fmt: skip


def fold(text: str) -> str:
    """Lower-case with umlauts spelled out: "Büro" and "Buero" both become "buero"."""
    return text.lower().translate(_FOLD)


class FoldFilter(Filter):
    """Umlaut folding after lower-casing (token text only; character offsets stay the original's)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):  # noqa: ANN001, ANN204 - whoosh filter protocol
        for token in tokens:
            token.text = token.text.translate(_FOLD)
            yield token


STOP_WORDS = frozenset(fold(word) for word in stopwords_for_language("de"))
_stem = stemmer_for_language("de")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The German stem of a folded word."""
    return _stem(word)


def _base() -> Analyzer:
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()


def german_chain() -> Analyzer:
    """The German analysis as whoosh's filter chain: the reference ``GermanTokenizer`` is tested against."""
    return _base() | StopFilter(stoplist=STOP_WORDS, minsize=1) | StemFilter(stemfn=stem, cachesize=-1)


WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The indexed term of one word: folded and stemmed; None for a stop word."""
    folded = fold(word)
    return None if folded in STOP_WORDS else stem(folded)


class GermanTokenizer(Tokenizer):
    """The German analysis in one pass: the terms of ``german_chain()`` without its five generator
    layers per word (indexing and highlighting spend most of their time here)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GermanTokenizer)

    def __call__(  # noqa: ANN204, PLR0913 - whoosh tokenizer protocol
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = ((m.start(), m.end(), m.group()) for m in WORD.finditer(value)) if tokenize else [
            (0, len(value), value)
        ]
        kept_pos = None  # positions as StopFilter renumbers them: from the first kept word on
        for index, (start, end, word) in enumerate(words):
            analysed = term(word)
            if analysed is None:
                if removestops:
                    continue
                token.text, token.stopped = fold(word), True
            else:
                token.text, token.stopped = analysed, False
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                if token.stopped:
                    token.pos = start_pos + index
                else:
                    kept_pos = start_pos + index if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def german_analyzer() -> Analyzer:
    """Whole words: folded, without stop words, stemmed. Used for title, summary, meta and body."""
    return CompositeAnalyzer(GermanTokenizer())


def ngram_analyzer() -> Analyzer:
    """Whole (unstemmed) words cut into n-grams, for parts of compound words.

    Queries are cut from their stem instead (``query_grams``): the stem of a word is (nearly always)
    a prefix of each of its inflected forms, so "Betrieben" → "betrieb" finds "Handwerksbetrieben".
    """
    return _base() | StopFilter(stoplist=STOP_WORDS, minsize=NGRAM_SIZE) | NgramFilter(NGRAM_SIZE, NGRAM_SIZE)


class PairFilter(Filter):
    """Adjacent terms joined ("IT-Sicherheit" → ``it_sicherheit``): a phrase is a run of pairs."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairFilter)

    def __call__(self, tokens):  # noqa: ANN001, ANN204 - whoosh filter protocol
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = f"{previous}_{text}"
                yield token
            previous = text


def pair_analyzer() -> Analyzer:
    """Pairs of adjacent (analysed) terms, so that phrases are term lookups, not position checks."""
    return german_analyzer() | PairFilter()


def pairs(sequence: tuple[str, ...] | list[str]) -> list[str]:
    """The pair terms a phrase of analysed terms needs."""
    return [f"{a}_{b}" for a, b in zip(sequence, sequence[1:], strict=False)]


def query_grams(term: str) -> list[str]:
    """The n-grams a stemmed query term must all have in the n-gram field."""
    return list(dict.fromkeys(term[i : i + NGRAM_SIZE] for i in range(len(term) - NGRAM_SIZE + 1)))


def spelling_analyzer() -> Analyzer:
    """Whole words, folded but not stemmed: the vocabulary suggestions are built from."""
    return _base() | StopFilter(stoplist=STOP_WORDS, minsize=4)


GERMAN = german_analyzer()
SPELLING = spelling_analyzer()


def terms(text: str) -> list[str]:
    """The indexed terms of ``text`` in order (stop words left out)."""
    return [analysed for analysed in map(term, WORD.findall(text)) if analysed is not None]


def words(text: str) -> list[str]:
    """Folded words of ``text`` without stemming or stop word removal."""
    return [token.text for token in _base()(text)]


__all__ = [
    "GERMAN",
    "WORD",
    "NGRAM_SIZE",
    "SPELLING",
    "fold",
    "german_analyzer",
    "ngram_analyzer",
    "pair_analyzer",
    "pairs",
    "spelling_analyzer",
    "stem",
    "term",
    "terms",
    "words",
    "query_grams",
]
