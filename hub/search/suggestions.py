""" "Meinten Sie …?": unknown words of a query replaced by the closest word the reader may find.

Only what the reader may see counts, both for whether a word is known and for the replacement:
a word found only in a hidden draft is unknown to others (else the suggestion would reveal it).
Replacements come from the words as they stand in published, public practices — titles,
summaries, tags and bodies (the ``forms`` field, ``hub.search.senses``) — and are offered in their
most frequent written form ("Büro", not a genitive "Digitalisierungs" or a spelled-out "Buero"),
never as another inflection of a word the query already has. The whole query is suggested, and
only when it finds more than the query did.
"""

from __future__ import annotations

import itertools
from collections import Counter

from whoosh.searching import Searcher

from hub.search.analysis import WORD, fold, stem, terms
from hub.search.arrays import FieldArrays
from hub.search.docsets import EMPTY, DocSet
from hub.search.parsing import Parsed
from hub.search.senses import FIELD, key, spellings, written
from hub.vocabulary import Status

SPELL_DISTANCE = 2
TEXT_FIELDS = ("body", "title", "summary", "meta")
# A word found in a readable practice's attached files is known too: no typo, no suggestion for it.
KNOWN_FIELDS = (*TEXT_FIELDS, "files")
WRITTEN_SAMPLE = 8  # practices whose stored text is read for how a word is written (capitals)



def suggest(searcher: Searcher, arrays: FieldArrays, parsed: Parsed, readable: DocSet) -> str | None:
    """Unknown words replaced by the closest word of public practices in ``readable`` (what the
    reader may find), as those practices mostly write it; the other words as typed. Only a
    suggestion whose words find more than the typed words is made (``reach``)."""
    if FIELD not in searcher.schema:  # an index of an earlier version, until it is rebuilt
        return None
    public = readable & arrays.listed(None, [Status.PUBLISHED])
    typed_stems = {stem(fold(word)) for word in parsed.words}
    changed = False
    words: list[str] = []
    for word in parsed.words:
        folded = fold(word)
        replacement = word
        if not _known(arrays, folded, readable):
            others = typed_stems - {stem(folded)}
            candidate = _closest(searcher, arrays, word, public, others)
            if candidate is not None:
                replacement, changed = _as_written(searcher, arrays, candidate, public), True
        words.append(replacement)
    if not changed:
        return None
    suggestion = " ".join(words)
    if reach(arrays, words, readable) <= reach(arrays, parsed.words, readable):
        return None
    return suggestion


def reach(arrays: FieldArrays, words: list[str], readable: DocSet) -> tuple[int, int]:
    """What words find as words (their stems in the text fields, not parts of compounds or typo
    variants) in ``readable``: practices with all of them, then practices with any of them. So
    "Gästemappe" finds more than "Gästemape" (whose n-grams find the same practice), and "Büro
    Gästemappe" more than "Büro Gästemape" even when no practice has both."""
    found: list[DocSet] = []
    for word in words:
        docs = EMPTY
        for stemmed in terms(word):
            for name in TEXT_FIELDS:
                docs = docs | arrays.terms(name, stemmed)
        found.append(docs & readable)
    if not found:
        return (0, 0)
    every, some = found[0], found[0]
    for docs in found[1:]:
        every, some = every & docs, some | docs
    return (len(every), len(some))


def _known(arrays: FieldArrays, folded: str, readable: DocSet) -> bool:
    if len(folded) < 4 or not folded.isalpha():
        return True
    if arrays.terms("spell", folded) & readable:
        return True
    stemmed = stem(folded)
    return any(arrays.terms(name, stemmed) & readable for name in KNOWN_FIELDS)


def _closest(
    searcher: Searcher, arrays: FieldArrays, word: str, public: DocSet, others: set[str]
) -> str | None:
    """The most frequent written form of the closest word within ``SPELL_DISTANCE`` edits, of those
    equally close the one in most of ``public`` (then alphabetically). A word's forms (``key``,
    umlauts spelled out or not) count together: the closest of them decides, the most frequent is
    offered. Inflections of the query's ``others`` (stems) are no candidates."""
    reader = searcher.reader()
    typed = spellings(word)
    groups: dict[str, dict[str, int]] = {}
    for spelling in typed:
        for candidate in reader.terms_within(FIELD, spelling, SPELL_DISTANCE, prefix=1):
            if candidate in typed or candidate in groups.get(fold(key(candidate)), {}):
                continue
            if stem(fold(candidate)) in others:  # "Digitalisierungs" when the query has "Digitalisierung"
                continue
            count = len(arrays.terms(FIELD, candidate) & public)
            if count:
                groups.setdefault(fold(key(candidate)), {})[candidate] = count
    if not groups:
        return None

    def distance(form: str) -> int:
        return min(_distance(spelling, form) for spelling in typed)

    def group_order(item: tuple[str, dict[str, int]]) -> tuple[int, int, str]:
        family, forms = item
        return (min(map(distance, forms)), -len(_union(arrays, forms, public)), family)

    _, forms = min(groups.items(), key=group_order)
    spelled: dict[str, tuple[int, str]] = {}  # a spelled-out umlaut counts for the umlaut ("buero": Büro)
    for form, count in forms.items():
        total, best = spelled.get(fold(form), (0, form))
        spelled[fold(form)] = (total + count, form if fold(form) != form else best)
    return min(spelled.values(), key=lambda item: (-item[0], distance(item[1]), item[1]))[1]


def _union(arrays: FieldArrays, forms: dict[str, int], public: DocSet) -> DocSet:
    found = EMPTY
    for form in forms:
        found = found | (arrays.terms(FIELD, form) & public)
    return found


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words: plain dynamic programming)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _as_written(searcher: Searcher, arrays: FieldArrays, form: str, public: DocSet) -> str:
    """``form`` with the capitals most of the practices having it write it with (their titles,
    summaries and the start of their bodies); as it is when none shows it."""
    spelled: Counter[str] = Counter()
    for doc in itertools.islice(arrays.terms(FIELD, form) & public, WRITTEN_SAMPLE):
        stored = searcher.stored_fields(doc)
        card = stored["card"]
        text = f"{card['title']} {card['summary']} {stored.get('excerpt') or ''}"
        spelled.update(word for word in WORD.findall(text) if written(word) == form)
    return spelled.most_common(1)[0][0] if spelled else form
