"""The bitmap document sets behave exactly like Python sets of document numbers."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.search.docsets import EMPTY, DocSet

doc_ids = st.frozensets(st.integers(min_value=0, max_value=5000), max_size=300)


@settings(deadline=timedelta(seconds=2))  # pure set algebra; generous on a loaded machine
@given(doc_ids, doc_ids)
def test_set_algebra_equals_python_sets(left, right):
    a, b = DocSet.of(left), DocSet.of(right)
    assert set(a & b) == left & right
    assert set(a | b) == left | right
    assert set(a - b) == left - right
    assert len(a) == len(left) and bool(a) == bool(left)
    assert list(a) == sorted(left)


@settings(deadline=timedelta(seconds=2))
@given(doc_ids, st.integers(min_value=-5, max_value=6000))
def test_membership(ids, probe):
    assert (probe in DocSet.of(ids)) == (probe in ids)


def test_empty_and_equality():
    assert len(EMPTY) == 0 and not EMPTY and list(EMPTY) == []
    assert DocSet.of([3, 1, 2]) == DocSet.of(iter([1, 2, 3])) == {1, 2, 3}
    assert DocSet.of([1]) != DocSet.of([2])
    assert "1" not in DocSet.of([1])
