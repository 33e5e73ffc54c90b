"""Senses: the words as written, so that the word typed ranks above its look-alikes.

The index folds umlauts and stems with Snowball (``hub.search.analysis``): "Förderung" (funding)
and "Forderung" (a claim) meet, and so do "Berater" (adviser) and "Beratung" (advice), "Küche" and
"Kuchen", "Zähler" and "Zahler". That finds every spelling and inflection, but it also ranks one
sense as high as the other. The ``forms`` field keeps each practice's words as written — lower-case,
umlauts and ß kept, unstemmed, every distinct word once — from title, summary, metadata and body
(not attached files: they rank below the write-up anyway). A query word then also scores, never
matches, through the forms of its own word family (``family``): the typed spelling with inflection
endings stripped by a rule that never joins two different nouns (``key``). So "Förderung" prefers
Förderung(en), "Forderung" prefers Forderung(en), "Berater" prefers Berater(s/n/in/innen) over
Beratung(en). Umlauts typed as ae/oe/ue ("Foerderung") are read as umlauts where the index has the
word so (``spellings``), so typing without umlauts still ranks the exact word first.

The same field is the vocabulary of "Meinten Sie …?" (``hub.search.suggestions``): words as they
stand in the practices.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh import query as wq
from whoosh.analysis import CompositeAnalyzer, Token, Tokenizer

from hub.lru import SizedLRU
from hub.search.analysis import ANALYSIS_VERSION, STOP_WORDS, WORD, fold
from hub.search.postings import IndexView

FIELD = "forms"
# Each form is indexed once per practice, weighted by the most important field it stands in (the
# fields' boosts of ``hub.search.building.FIELD_BOOSTS``): an exact word in the title counts more.
SECTIONS = (("title", 5.0), ("summary", 3.0), ("meta", 2.0), ("body", 1.0))
BOOST = 4.0  # a form's weight against its stem's (field boost 1 for the body)
FAMILY_SCAN = 256  # vocabulary forms containing a word's key looked at (most frequent first)
COMPOUND = 0.5  # a compound's weight against the word itself
COMPOUNDS = 32  # compounds of a word scored at most (most frequent first)
LINKS = ("s", "es", "en", "n", "e", "er", "ens")  # what may stand between a compound's parts
SPELLINGS = 16  # ae/oe/ue/ss readings of a typed word tried at most

# Female forms of persons, gendered or not (Beraterin, Beraterinnen, Berater:innen, Kund*innen):
# the base word (as ``hub.search.analysis`` does for the stems).
_FEMALE = re.compile(r"(?<=er|nt|zt|nd)[:*/_]?in(?:nen)?$")
_SPELLED_OUT = re.compile(r"ae|oe|ue|ss")
_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
_SPELLED_OF = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def written(word: str) -> str:
    """A word as the ``forms`` field keeps it: lower-case, umlauts and ß as they are."""
    return word.lower()


@lru_cache(maxsize=200_000)
def key(form: str) -> str:
    """A written (lower-case) word without its inflection endings: the family its forms share.

    Only endings that inflect a noun go — female -in/-innen, a genitive or plural -s, then -en,
    -e, or the -n of a dative plural after -er/-el, then an -s once more ("Kurse" → kurs → kur,
    as "Kurs" → kur; "Prozess", "Prozesse" → proze; "Ergebnis", "Ergebnisse" → ergebni) — never
    a derivation (-ung, -er of a person, -heit …) and never an umlaut. So
    Berater/Beraters/Beratern/Beraterin/Beraterinnen → berater, Beratung/Beratungen → beratung,
    Küche/Küchen → küch, Kuchen → kuch, Förderung → förderung, Forderungen → forderung. The key is
    always a beginning of the word (``family`` scans the vocabulary by it).
    """
    found = _FEMALE.search(form)
    if found and found.start() >= 3:
        form = form[: found.start()]
    form = _without_s(form)
    if len(form) > 4 and form.endswith("en"):
        form = form[:-2]
    elif len(form) > 3 and (form[-1] == "e" or (form[-1] == "n" and form[-3:-1] in ("er", "el"))):
        form = form[:-1]
    if form.endswith("ss"):  # "Prozesse" → prozess, "Ergebnisse" → ergebniss: as their singulars
        form = form[:-1]
    return _without_s(form)


def _without_s(form: str) -> str:
    """A genitive or plural -s stripped (not the second s of -ss)."""
    return form[:-1] if len(form) > 3 and form[-1] == "s" and form[-2] != "s" else form


@lru_cache(maxsize=200_000)
def indexed(word: str) -> str | None:
    """The form ``word`` is indexed as; None for stop words, short words and words with digits."""
    form = written(word)
    if len(form) < 3 or fold(form) in STOP_WORDS or any(ch.isdigit() for ch in form):
        return None
    return form


def field_value(title: str, summary: str, meta: str, body: str) -> str:
    """The ``forms`` field's value: each distinct form once, in the section of the most important
    field it stands in (one line per section of ``SECTIONS``, in order)."""
    seen: set[str] = set()
    lines = []
    for text in (title, summary, meta, body):
        line = []
        for word in dict.fromkeys(WORD.findall(text)):  # in order: the fingerprint must not vary
            form = indexed(word)
            if form is not None and form not in seen:
                seen.add(form)
                line.append(form)
        lines.append(" ".join(line))
    return "\n".join(lines)


class FormsTokenizer(Tokenizer):
    """Reads ``field_value``: every form a token, boosted by its section's weight."""

    def __init__(self) -> None:
        self.version = ANALYSIS_VERSION

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormsTokenizer)

    def __call__(  # noqa: ANN204 - whoosh tokenizer protocol
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.stopped = False
        lines = value.split("\n") if tokenize else [value]
        position = start_pos
        for line, (_, weight) in zip(lines, SECTIONS, strict=False):
            for form in line.split():
                token.text, token.boost = form, weight
                if keeporiginal:
                    token.original = form
                if positions:
                    token.pos = position
                    position += 1
                if chars:
                    token.startchar, token.endchar = start_char, start_char + len(form)
                yield token


def forms_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(FormsTokenizer())


def spellings(word: str) -> list[str]:
    """The written forms a typed word may stand for: as typed, and with ae/oe/ue/ss read as ä/ö/ü/ß
    in every combination ("Foerderung" → foerderung, förderung) or an umlaut spelled out ("Büro" →
    büro, buero: a practice may write without umlauts). Which of them the index has decides."""
    form = written(word)
    found = [form]
    spots = [m for m in _SPELLED_OUT.finditer(form) if not _vowel_pair(form, m.start())]
    for chosen in itertools.islice(_subsets(len(spots)), 1, SPELLINGS):
        text, shift = form, 0
        for index in chosen:
            spot = spots[index]
            start = spot.start() + shift
            text = text[:start] + _UMLAUT_OF[spot.group()] + text[start + 2 :]
            shift -= 1
        found.append(text)
    spelled = form.translate(_SPELLED_OF)
    if spelled != form:
        found.append(spelled)
    return list(dict.fromkeys(found))


def _vowel_pair(form: str, at: int) -> bool:
    """"ue" after a, e or q is no umlaut ("Steuer", "Bauer", "Quelle"), as ``analysis.plain`` has it."""
    return form[at : at + 2] == "ue" and at > 0 and form[at - 1] in "aeq"


def _subsets(size: int) -> Iterable[tuple[int, ...]]:
    for count in range(size + 1):
        yield from itertools.combinations(range(size), count)


class Families:
    """A typed word's forms in one searcher's vocabulary with their weights (``family``), cached
    per searcher."""

    def __init__(self, view: IndexView, cache: SizedLRU[list[tuple[str, float]]]) -> None:
        self.view = view
        self.reader = view.searcher.reader()
        self.cache = cache
        self.has_field = FIELD in view.searcher.schema

    def __call__(self, word: str) -> list[tuple[str, float]]:
        if not self.has_field:
            return []
        return self.cache.get_or_compute(word, lambda: self.family(word))

    def family(self, word: str) -> list[tuple[str, float]]:
        """The indexed forms sharing a ``key`` with one of the word's ``spellings`` — the typed word
        and its inflections as the practices write them (Berater → berater, beraters, beraterinnen),
        weight 1 — and compounds of them, weight ``COMPOUND``: those ending in the word, its head
        ("Energieberater", "Wasserzählern"), and those beginning with it before a word of their own
        ("Forderungsmanagement", "Küchenmonitor"; not "Zahlungserinnerung" for "Zahl")."""
        found: dict[str, float] = {}
        for spelling in spellings(word):
            if indexed(spelling) is None:
                continue
            wanted = key(spelling)
            if len(wanted) < 3:
                continue
            if (FIELD, wanted) in self.reader:  # the key is a word itself ("berater")
                found[wanted] = 1.0
            for form in self.view.containing(FIELD, wanted, FAMILY_SCAN):
                weight = self._weight(form, wanted)
                if weight:
                    found[form] = max(found.get(form, 0.0), weight)
        exact = [(form, weight) for form, weight in found.items() if weight == 1.0]
        compounds = [(form, weight) for form, weight in found.items() if weight != 1.0][:COMPOUNDS]
        return exact + compounds

    def _weight(self, form: str, wanted: str) -> float:
        found = key(form)
        if found == wanted:
            return 1.0
        if len(wanted) < 4:
            return 0.0
        if found.endswith(wanted) and len(found) - len(wanted) >= 3:
            return COMPOUND
        if form.startswith(wanted) and self._word_follows(form[len(wanted) :]):
            return COMPOUND
        return 0.0

    def _word_follows(self, rest: str) -> bool:
        """``rest`` is a word of the vocabulary, perhaps after an inflection ending or linking element."""
        tails = [rest] + [rest[len(link) :] for link in LINKS if rest.startswith(link)]
        return any(len(tail) >= 4 and (FIELD, tail) in self.reader for tail in tails)


def typed_words(words: Iterable[str]) -> list[str]:
    """The single words of the query's plain words (a hyphenated word gives its parts)."""
    return list(dict.fromkeys(part for word in words for part in WORD.findall(word)))


def sense_query(words: Iterable[str], families: Families) -> wq.Query | None:
    """Scores for the typed words' own forms (None when the index has none of them): added to the
    ranking, never to the matching, so what is found stays the same."""
    terms: list[wq.Query] = [
        wq.Term(FIELD, form, boost=BOOST * weight)
        for word in typed_words(words)
        for form, weight in families(word)
    ]
    if not terms:
        return None
    return wq.Or(terms)


def ranking_query(query: wq.Query, words: Iterable[str], families: Families) -> wq.Query:
    """``query`` with the senses' scores added (the ranker sums an ``Or``'s parts)."""
    senses = sense_query(words, families)
    return query if senses is None else wq.Or([query, senses])


__all__ = [
    "FIELD",
    "Families",
    "field_value",
    "forms_analyzer",
    "indexed",
    "key",
    "ranking_query",
    "sense_query",
    "spellings",
    "written",
]
