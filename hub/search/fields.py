"""The index's text field: whoosh's ``TEXT`` that counts a text's terms per word from a memo.

Indexing a practice analyses ≈ 1,500 words (title, summary, metadata, body twice: its own field and
the phrase pairs), and whoosh's ``Frequency.word_values`` does it one token at a time through
generators. German text is Zipfian: the same few thousand words come again and again, so ``Text``
analyses each run of words (a word, or words joined by hyphens: what ``split_words`` splits as one)
once with the field's own analyzer, keeps its terms in a bounded memo, and counts a text's terms
with ``collections.Counter``. The postings are exactly those of ``TEXT`` (tested on the demo corpus
and generated texts): the analyzers used here make each run's terms independent of its neighbours,
and a field whose analyzer has any other part (or a value that is not one string, or options)
takes whoosh's own path. The phrase-pairs field joins adjacent terms across runs; its terms are the
memoised terms of its base analyzer, paired over the whole text.

``FieldType.index`` (the field's postings of one value: term bytes, frequency, weight, encoded value)
is whoosh's documented hook for what a field type indexes. The class is named in each segment's
pickled schema, so it keeps its module and name; ``hub.search.index._shape`` counts it as ``TEXT``,
so an index written before it still counts as current (its postings are the same).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import chain, pairwise
from typing import Any

from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, NgramFilter, StopFilter
from whoosh.fields import TEXT
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from hub.search.analysis import (
    HYPHENS,
    WORD_PATTERN,
    FoldFilter,
    GermanTokenizer,
    GramWordTokenizer,
    HyphenTokenizer,
    PairFilter,
)

# ``analysis.RUN`` without its capturing group: ``findall`` gives the runs themselves, in C.
RUNS = re.compile(rf"{WORD_PATTERN}(?:(?:[{HYPHENS}]{WORD_PATTERN})+)?")
MEMO_RUNS = 200_000  # runs remembered per analyzer (per field object: each writer unpickles its own)
# Analysis parts whose terms for a run depend on that run alone (tokenizers splitting with
# ``split_words``, filters acting on one token at a time).
RUN_LOCAL = (GermanTokenizer, HyphenTokenizer, GramWordTokenizer, LowercaseFilter, FoldFilter, StopFilter,
             NgramFilter)

Terms = Callable[[str], list[str]]


def _run_terms(analyzer: Any) -> Callable[[str], tuple[str, ...]]:
    """The terms ``analyzer`` gives one run, as whoosh indexes them (index mode, stopped tokens
    left out), memoised. Token boosts other than 1 (none of these analyzers gives any) would make
    counts and weights differ: refused."""

    @lru_cache(maxsize=MEMO_RUNS)
    def terms(run: str) -> tuple[str, ...]:
        found = []
        for token in analyzer(run, mode="index", boosts=True):
            if token.stopped:
                continue
            if token.boost != 1.0:
                raise ValueError(f"token boost {token.boost} in a memoised field")
            found.append(token.text)
        return tuple(found)

    return terms


def _items(analyzer: Any) -> list[Any]:
    return list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]


def memoised_terms(analyzer: Any) -> Terms | None:
    """A function from a text to its terms in order, equal to ``analyzer``'s and faster; None when
    the analyzer has parts whose terms need more than one run (then whoosh analyses the text)."""
    items = _items(analyzer)
    if items and isinstance(items[-1], PairFilter):
        base = memoised_terms(CompositeAnalyzer(*items[:-1]))
        if base is None:
            return None

        def pairs(text: str) -> list[str]:
            found = base(text)
            return [f"{a}_{b}" for a, b in pairwise(found)]

        return pairs
    if not items or not all(isinstance(item, RUN_LOCAL) for item in items):
        return None
    if not isinstance(items[0], (GermanTokenizer, HyphenTokenizer, GramWordTokenizer)):
        return None  # a tokenizer that does not split as ``split_words`` does
    run_terms = _run_terms(analyzer)

    def terms(text: str) -> list[str]:
        return list(chain.from_iterable(map(run_terms, RUNS.findall(text))))

    return terms


class Text(TEXT):
    """``TEXT`` with a memo of each run's terms (see the module)."""

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_terms", None)  # the memo is this process's, never pickled into the index
        return state

    def _memo(self) -> Terms | None:
        try:
            return self.__dict__["_terms"]
        except KeyError:
            found = memoised_terms(self.analyzer) if type(self.format) is Frequency else None
            self.__dict__["_terms"] = found
            return found

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        terms = self._memo() if isinstance(value, str) and not kwargs else None
        if terms is None:
            yield from super().index(value, **kwargs)
            return
        # As ``Frequency.word_values``: the weight is the sum of the tokens' boosts (each 1.0).
        boost = self.format.field_boost
        for text, freq in Counter(terms(value)).items():
            yield text.encode("utf-8"), freq, float(freq) * boost, pack_uint(freq)
