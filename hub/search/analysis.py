"""German text analysis, the same for documents and queries.

lower-case → umlaut folding (ä/ö/ü/ß and ae/oe/ue/ss meet) → German stop words → German Snowball
stem, made plural-proof (``stem``), in one pass (``GermanTokenizer``, tested equal to whoosh's
filter chain doing the same in five steps, ``german_chain``). A hyphenated word gives its parts
and the parts joined ("E-Mail" → e, mail, email): "Email", "E-Mail" and "Mail" all find it.
The pair analyzer joins adjacent terms, so that a phrase is found by looking up its pairs. The
n-gram side analyzer cuts the words into 4-grams, so a part of a compound ("planung") finds the
whole ("Schichtplanung"); the spelling analyzer keeps whole, unstemmed words for "Meinten Sie …?".
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from whoosh.analysis import (
    Analyzer,
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    NgramFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang import stemmer_for_language, stopwords_for_language

# Words: letters and digits, joined by inner apostrophes; hyphens split ("E-Rechnung" → e, rechnung).
# A gender marker before -in/-innen stays in the word ("Berater:innen", "Kund*innen", "Ärzt/innen").
WORD_PATTERN = r"\w+(?:['’]\w+)*(?:(?<=[eE][rR]|[nNzZ][tT]|[nN][dD])[:*/][iI][nN](?:[nN][eE][nN])?\b)?"
HYPHENS = "-‐‑"  # noqa: RUF001 - on purpose: hyphen-minus, hyphen, non-breaking hyphen
# A run of words joined by hyphens ("E-Mail-Marketing"); a plain word is a run of one (group 1 None).
RUN_PATTERN = rf"{WORD_PATTERN}((?:[{HYPHENS}]{WORD_PATTERN})+)?"
NGRAM_SIZE = 4
# Bumped whenever the terms of a text change: an index built by another version is outdated and
# rebuilt at start (``SearchIndex.outdated`` compares it, stored in the index's pickled analyzers).
ANALYSIS_VERSION = 6

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "à": "a", "á": "a", "â": "a",
                       "é": "e", "è": "e", "ê": "e", "ë": "e", "ï": "i", "î": "i", "ç": "c", "ñ": "n",
                       "ó": "o", "ô": "o", "ú": "u", "û": "u"})


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
# Negations are indexed, so that a phrase keeps them ("ohne Schulung" is no "mit Schulung"); as
# plain query words they are left out like stop words (``hub.search.parsing``).
NEGATIONS = frozenset({"kein", "keine", "keinem", "keinen", "keiner", "keines", "nicht", "nichts", "ohne"})
INDEXED_STOP_WORDS = STOP_WORDS - NEGATIONS
_stem = stemmer_for_language("de")
# Spelled-out umlauts (folded): the e after a, o, u goes, except in "qu" and after "au"/"eu"
# ("Steuer", "Bauer", "neue" are no umlauts).
_UMLAUT = re.compile(r"(?<=[ao])e|(?<![aeq]u)(?<=u)e")
# Female forms of persons: Beraterin(nen), Patientin(nen), Ärztin(nen), Kundin(nen), also gendered
# (Berater:innen, Kund*innen, Mitarbeiter/innen, Berater_innen) → the base.
_FEMALE = re.compile(r"(?<=er|nt|zt|nd)[:*/_]?in(?:nen)?$")
_LOAN_PLURAL = frozenset("aoypw")  # "Apps", "Videos", "Handys", "Shows": -s the stemmer keeps


def plain(text: str) -> str:
    """Umlauts (folded to ae/oe/ue) made plain vowels, as the Snowball "german2" variant and Lucene's
    German normalisation do, so that umlaut plurals meet their singular: "Gäste" and "Gast", "Pläne"
    and "Plan", "Zahnärzte" and "Zahnarzt", "Größe" and "groß". ("Förderung" and "Forderung" meet
    too: the usual price.)"""
    return _UMLAUT.sub("", text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The indexed form of a folded word: its German stem, plural-proof.

    Umlauts become plain vowels first (``plain``; folded "ae" would otherwise let Snowball strip a
    superlative "-est" from "Stammgäste"), female forms of persons lose -in/-innen. Snowball strips
    one ending per step, so a plural can keep what the singular loses ("Systeme" → system,
    "System" → syst; "Kurse" → kurs, "Kurs" → kur): a stem still ending in -em or -s that Snowball
    would strip once more is stripped. The -s plural of loanwords, which Snowball leaves after
    vowels, p, w and y ("Apps", "Videos", "Workshops", "Büros"), goes too.
    """
    word = plain(word)
    female = _FEMALE.search(word)
    if female and female.start() >= 3:
        word = word[: female.start()]
    found = _stem(word)
    if len(found) > 3 and (found.endswith("em") or found.endswith("s")):
        again = _stem(found)
        if again == found[: -2 if found.endswith("em") else -1]:
            found = again
    if len(found) >= 4 and found[-1] == "s" and found[-2] in _LOAN_PLURAL:
        found = found[:-1]
    return found


WORD = re.compile(WORD_PATTERN)
RUN = re.compile(RUN_PATTERN)


def split_words(text: str, join: bool = True) -> list[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, word); a hyphenated run gives its parts and, with
    ``join``, the parts joined: all of them and, from three parts on, each neighbouring two
    ("E-Mail-Marketing" → E, Mail, Marketing, EMailMarketing, EMail, MailMarketing)."""
    found: list[tuple[int, int, str]] = []
    for run in RUN.finditer(text):
        if run.lastindex is None:  # a plain word: nearly all of them
            found.append((run.start(), run.end(), run.group()))
            continue
        word = run.group()
        offset = run.start()
        parts = [(offset + m.start(), offset + m.end(), m.group()) for m in WORD.finditer(word)]
        found.extend(parts)
        if join and any(ch.isalpha() for ch in word):  # not dates ("2025-01-28")
            found.append((run.start(), run.end(), "".join(part for _, _, part in parts)))
            if len(parts) > 2:
                found.extend((a[0], b[1], a[2] + b[2]) for a, b in itertools.pairwise(parts))
    return found


def hyphenated(word: str) -> bool:
    """Whether ``word`` (one word of a query) is a run of words joined by hyphens."""
    return len(WORD.findall(word)) > 1 and RUN.fullmatch(word) is not None


class HyphenTokenizer(Tokenizer):
    """Words as ``split_words`` finds them (with ``join``, hyphenated runs give their joined forms)."""

    def __init__(self, join: bool = True) -> None:
        self.join = join
        self.version = ANALYSIS_VERSION

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HyphenTokenizer) and other.join == self.join

    def __call__(  # noqa: ANN204 - whoosh tokenizer protocol
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = split_words(value, self.join) if tokenize else [(0, len(value), value)]
        for index, (start, end, word) in enumerate(words):
            token.text, token.boost, token.stopped = word, 1.0, False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


@lru_cache(maxsize=200_000)
def _gram_word(word: str) -> str | None:
    """A word as the n-grams are cut from it: folded, umlauts plain (to meet the query's stems);
    None for stop words and words shorter than an n-gram."""
    folded = fold(word)
    return None if len(folded) < NGRAM_SIZE or folded in STOP_WORDS else plain(folded)


class GramWordTokenizer(Tokenizer):
    """The words n-grams are cut from (``_gram_word``), in one pass; hyphenated words also joined."""

    def __init__(self) -> None:
        self.version = ANALYSIS_VERSION

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GramWordTokenizer)

    def __call__(  # noqa: ANN204 - whoosh tokenizer protocol
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = split_words(value) if tokenize else [(0, len(value), value)]
        for index, (start, end, word) in enumerate(words):
            gram_word = _gram_word(word)
            if gram_word is None:
                continue
            token.text, token.boost, token.stopped = gram_word, 1.0, False
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def _base(join: bool = True) -> Analyzer:
    return HyphenTokenizer(join) | LowercaseFilter() | FoldFilter()


def german_chain(join: bool = True) -> Analyzer:
    """The German analysis as whoosh's filter chain: the reference ``GermanTokenizer`` is tested against."""
    stops = StopFilter(stoplist=INDEXED_STOP_WORDS, minsize=1)
    return _base(join) | stops | StemFilter(stemfn=stem, cachesize=-1)


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The indexed term of one word: folded and stemmed; None for a stop word (not for negations)."""
    folded = fold(word)
    return None if folded in INDEXED_STOP_WORDS else stem(folded)


class GermanTokenizer(Tokenizer):
    """The German analysis in one pass: the terms of ``german_chain()`` without its five generator
    layers per word (indexing and highlighting spend most of their time here)."""

    def __init__(self, join: bool = True) -> None:
        self.join = join  # hyphenated words also joined (not for phrase pairs: those follow the text)
        self.version = ANALYSIS_VERSION

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GermanTokenizer) and getattr(other, "join", True) == self.join

    def __call__(  # noqa: ANN204 - whoosh tokenizer protocol
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = split_words(value, self.join) if tokenize else [(0, len(value), value)]
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


def german_analyzer(join: bool = True) -> Analyzer:
    """Whole words: folded, without stop words, stemmed. Used for title, summary, meta and body."""
    return CompositeAnalyzer(GermanTokenizer(join))


def analysis_version(analyzer: object) -> int:
    """The ``ANALYSIS_VERSION`` an analyzer (perhaps unpickled from an old index) was made with; 0
    for analyzers without German analysis, 1 for those from before versions were recorded."""
    items = getattr(analyzer, "items", [analyzer])
    versions = [
        getattr(item, "version", 1)
        for item in items
        if isinstance(item, (GermanTokenizer, HyphenTokenizer, GramWordTokenizer)) or hasattr(item, "version")
    ]
    return max(versions, default=0)


def ngram_analyzer() -> Analyzer:
    """Whole (unstemmed) words cut into n-grams, for parts of compound words.

    Queries are cut from their stem instead (``query_grams``): the stem of a word is (nearly always)
    a prefix of each of its inflected forms, so "Betrieben" → "betrieb" finds "Handwerksbetrieben".
    """
    return GramWordTokenizer() | NgramFilter(NGRAM_SIZE, NGRAM_SIZE)


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
    """Pairs of adjacent (analysed) terms, so that phrases are term lookups, not position checks.
    Hyphenated words give their parts only: a phrase is the words as written (``phrase_terms``)."""
    return german_analyzer(join=False) | PairFilter()


def pairs(sequence: tuple[str, ...] | list[str]) -> list[str]:
    """The pair terms a phrase of analysed terms needs."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(sequence)]


def query_grams(term: str) -> list[str]:
    """The n-grams a stemmed query term must all have in the n-gram field."""
    return list(dict.fromkeys(term[i : i + NGRAM_SIZE] for i in range(len(term) - NGRAM_SIZE + 1)))


def spelling_analyzer() -> Analyzer:
    """Whole words, folded but not stemmed: the vocabulary suggestions are built from (as written:
    hyphenated words give their parts, not joined forms nobody wrote)."""
    return _base(join=False) | StopFilter(stoplist=STOP_WORDS, minsize=4)


GERMAN = german_analyzer()
SPELLING = spelling_analyzer()


def terms(text: str) -> list[str]:
    """The indexed terms of ``text`` in order (stop words left out; hyphenated words also joined)."""
    return [analysed for _, _, word in split_words(text) if (analysed := term(word)) is not None]


def phrase_terms(text: str) -> list[str]:
    """The terms of ``text`` as written, hyphenated words as their parts: what phrase pairs are of."""
    return [analysed for analysed in map(term, WORD.findall(text)) if analysed is not None]


def joined_term(word: str) -> str | None:
    """The term of a hyphenated word written together ("E-Mail" → email)."""
    return term("".join(WORD.findall(word)))


def words(text: str) -> list[str]:
    """Folded words of ``text`` without stemming or stop word removal."""
    return [token.text for token in _base()(text)]


__all__ = [
    "ANALYSIS_VERSION",
    "GERMAN",
    "NGRAM_SIZE",
    "RUN",
    "SPELLING",
    "WORD",
    "analysis_version",
    "fold",
    "german_analyzer",
    "hyphenated",
    "joined_term",
    "ngram_analyzer",
    "pair_analyzer",
    "pairs",
    "phrase_terms",
    "plain",
    "query_grams",
    "spelling_analyzer",
    "split_words",
    "stem",
    "term",
    "terms",
    "words",
]
