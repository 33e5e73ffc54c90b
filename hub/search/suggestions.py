""" "Meinten Sie …?": unknown words of a query replaced by the closest word the reader may find.

Only what the reader may see counts, both for whether a word is known and for the replacement:
a word found only in a hidden draft is unknown to others (else the suggestion would reveal it).
"""

from __future__ import annotations

import itertools

from whoosh.searching import Searcher

from hub.search.analysis import WORD, fold, stem
from hub.search.arrays import FieldArrays
from hub.search.docsets import DocSet
from hub.search.parsing import Parsed

SPELL_DISTANCE = 2
TEXT_FIELDS = ("body", "title", "summary", "meta")


def suggest(searcher: Searcher, arrays: FieldArrays, parsed: Parsed, readable: DocSet) -> str | None:
    """Unknown words replaced by the closest word found in ``readable`` (what the reader may find),
    spelled as one of those practices writes it ("Gästemappe", not the index's "gaestemappe"); the
    other words as typed."""
    changed = False
    words: list[str] = []
    for word in parsed.words:
        folded = fold(word)
        replacement = word
        if not _known(arrays, folded, readable):
            candidate = _closest(searcher, arrays, folded, readable)
            if candidate is not None:
                found, spelled = candidate
                replacement, changed = _as_written(searcher, found, spelled), True
        words.append(replacement)
    return " ".join(words) if changed else None


def _known(arrays: FieldArrays, folded: str, readable: DocSet) -> bool:
    if len(folded) < 4 or not folded.isalpha():
        return True
    if arrays.terms("spell", folded) & readable:
        return True
    stemmed = stem(folded)
    return any(arrays.terms(name, stemmed) & readable for name in TEXT_FIELDS)


def _closest(
    searcher: Searcher, arrays: FieldArrays, folded: str, readable: DocSet
) -> tuple[DocSet, str] | None:
    """The word within ``SPELL_DISTANCE`` edits in most of ``readable`` (then alphabetically)."""
    best: tuple[int, str, DocSet] | None = None
    for candidate in searcher.reader().terms_within("spell", folded, SPELL_DISTANCE, prefix=1):
        if candidate == folded:
            continue
        found = arrays.terms("spell", candidate) & readable
        count = len(found)
        if count and (best is None or (-count, candidate) < (-best[0], best[1])):
            best = (count, candidate, found)
    return None if best is None else (best[2], best[1])


def _as_written(searcher: Searcher, docs: DocSet, folded: str) -> str:
    """``folded`` as the title or summary of one of ``docs`` spells it (else as it is: a tag)."""
    for doc in itertools.islice(docs, 3):
        card = searcher.stored_fields(doc)["card"]
        for word in WORD.findall(f"{card['title']} {card['summary']}"):
            if fold(word) == folded:
                return word
    return folded
