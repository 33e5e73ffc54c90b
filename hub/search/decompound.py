"""Compounds typed in a query, split by the index's own vocabulary (issue 16, item 2).

"Rechnungseingangsbuch" finds "Eingang der Rechnungen … Buch": a long query word is cut into
parts that are words of the index (their terms occur in bodies, else titles), with the linking
elements of German compounds (-s-, -es-, -n-, -en-, -e-, -er-) between them. Of all ways to cut a
word the one with the best frequency score wins: the geometric mean of the parts' document
frequencies (frequent, known parts), halved for every part beyond two (fewer parts). Parts shorter
than ``MIN_PART`` letters (the last may have ``MIN_LAST``) are never cut: "Tor" and "Ei" hide in too
many words. A word ``COMMON`` practices have as a whole is not split ("Betriebsrat" is no Rat).
Umlaut plurals need nothing of their own: a part's term is its stem, and stems are
made plural-proof with umlauts plain ("Kühlräume" and "Kühlraum" are both ``kuhlraum``).

Synonyms apply to the parts and to the whole: ``respelled`` gives the compound with one part
replaced by a synonym, written with each linking element, wherever the index has such a word
("Solaranlage" → "Photovoltaikanlage"; "Mitarbeiterbefragung" → "Beschäftigtenbefragung").

Splits are cached per searcher (the vocabulary of one index generation), bounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from whoosh.searching import Searcher

from hub.lru import SizedLRU
from hub.search.analysis import fold, term
from hub.search.parsing import Synonyms
from hub.search.postings import IndexView

LINKERS = ("", "s", "es", "n", "en", "e", "er")  # between parts; "" first: no linking element
MIN_WORD = 7  # shorter query words are never split
MAX_WORD = 40  # nor longer ones (no real compound; bounds the work)
MIN_PART = 4
MIN_LAST = 3  # "Berichtsheftapp": an app at the end
MAX_PART = 20
EXTRA_PART = 0.5  # the score's factor per part beyond two
VOCABULARY_FIELDS = ("body", "title")  # where a part (or a synonym of it) must occur
MAX_RESPELLED = 8
COMMON = 10  # a word this many practices have as a whole is not split (its parts add only noise)


@dataclass(frozen=True)
class Split:
    """A query word cut into parts: the parts as written (folded, linking elements left out)."""

    word: str
    parts: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for part in self.parts if (t := term(part)) is not None)


class Decompounder:
    """Splits query words by one searcher's vocabulary; ``cache`` is per searcher and bounded."""

    def __init__(
        self,
        searcher: Searcher,
        cache: SizedLRU[object],
        synonyms: Synonyms | None = None,
        view: IndexView | None = None,
    ) -> None:
        self.reader = searcher.reader()
        # the searcher's segments (``hub.search.postings``): absent terms known without a lookup
        self.frequency = view.doc_frequency if view is not None else self.reader.doc_frequency
        self.cache = cache
        self.synonyms = synonyms or Synonyms()
        self._known: dict[str, int] = {}  # for this search: a term lookup costs ≈ 20 µs per segment

    def split(self, word: str) -> Split | None:
        """The best split of ``word`` into known parts, or None (too short, unknown parts)."""
        folded = fold(word)
        if not (MIN_WORD <= len(folded) <= MAX_WORD) or not folded.isalpha():
            return None
        whole = term(folded)
        if whole is None or self.known(whole) >= COMMON:
            return None
        key = ("split", folded, id(self.synonyms))
        found = self.cache.get_or_compute(key, lambda: self._split(folded) or False)
        return found or None  # type: ignore[return-value]  # the cache holds values of several kinds: a "split" key, a Split

    def known(self, text: str) -> int:
        """The document frequency of an index term (bodies, else titles)."""
        found = self._known.get(text)
        if found is None:
            found = 0
            for name in VOCABULARY_FIELDS:
                found = self.frequency(name, text)
                if found:
                    break
            self._known[text] = found
        return found

    def respelled(self, split: Split, alternatives: list[tuple[str, ...]]) -> list[str]:
        """Index terms of the compound with part ``i`` replaced by each of ``alternatives[i]``'s
        one-word synonyms (terms), joined with each linking element; only words the index has."""
        key = ("respelled", split, tuple(alternatives), id(self.synonyms))
        return self.cache.get_or_compute(key, lambda: self._respelled(split, alternatives))  # type: ignore[return-value]  # a "respelled" key: a list

    def _respelled(self, split: Split, alternatives: list[tuple[str, ...]]) -> list[str]:
        found: list[str] = []
        for i, others in enumerate(alternatives):
            before = "".join(split.parts[:i])
            after = "".join(split.parts[i + 1 :])
            for other in others:
                for linker_before in LINKERS if i else ("",):
                    for linker_after in LINKERS if after else ("",):
                        candidate = term(f"{before}{linker_before}{other}{linker_after}{after}")
                        if candidate and candidate not in found and self.known(candidate):
                            found.append(candidate)
                            if len(found) >= MAX_RESPELLED:
                                return found
        return found

    def _split(self, word: str) -> Split | None:
        frequencies: dict[str, int] = {}

        def frequency(part: str) -> int:
            if part not in frequencies:
                analysed = term(part)
                # a part the index has, or one with a synonym the index has ("Solar" for Photovoltaik)
                others = self.synonyms.expand((analysed,)) if analysed else ()
                frequencies[part] = max((self.known(o[0]) for o in others if len(o) == 1), default=0)
            return frequencies[part]

        size = len(word)
        # best[i]: (score as log, parts) of the best cut of word[i:] into known parts
        best: list[tuple[float, tuple[str, ...]] | None] = [None] * (size + 1)
        best[size] = (0.0, ())
        for start in range(size - MIN_LAST, -1, -1):
            choice: tuple[float, tuple[str, ...]] | None = None
            for end in range(start + MIN_LAST, min(size, start + MAX_PART) + 1):
                part = word[start:end]
                last = end == size
                if last and start == 0:  # the word itself: searched as it is anyway
                    continue
                if len(part) < (MIN_LAST if last else MIN_PART):
                    continue
                for linker in ("",) if last else LINKERS:
                    rest = end + len(linker)
                    if word[end:rest] != linker or best[rest] is None or (rest == size and linker):
                        continue
                    df = frequency(part)
                    if not df:
                        break
                    score, parts = best[rest]  # type: ignore[misc]  # not None: checked above (mypy does not narrow list items)
                    candidate = (score + math.log(df), (part, *parts))
                    if choice is None or _better(candidate, choice):
                        choice = candidate
            best[start] = choice
        found = best[0]
        if found is None or len(found[1]) < 2:
            return None
        return Split(word, found[1])


def _value(candidate: tuple[float, tuple[str, ...]]) -> float:
    log_sum, parts = candidate
    count = len(parts)
    return log_sum / count + math.log(EXTRA_PART) * max(0, count - 2)


def _better(a: tuple[float, tuple[str, ...]], b: tuple[float, tuple[str, ...]]) -> bool:
    return (_value(a), -len(a[1])) > (_value(b), -len(b[1]))
