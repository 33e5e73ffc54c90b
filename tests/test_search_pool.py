"""The writers' pool of postings (``hub.search.pool.TermPool``) writes exactly what whoosh's own pool does."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from bench.corpus import PLACES, SUBJECTS, realistic_body
from hub.search.documents import make_schema
from hub.search.index import Codec, _writer
from hub.search.pool import TermPool


def _documents(count: int) -> list[dict[str, object]]:
    rng = random.Random(11)
    docs = []
    for number in range(count):
        subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
        body = realistic_body(rng, subject, place)
        title = f"{subject} in {place}"
        docs.append({
            "id": str(number),
            "title": title,
            "summary": body[:160],
            "meta": f"{subject} {place}",
            "body": body,
            "pairs": f"{title}\n{body}",
            "parts": title,
            "spell": title,
            "forms": title,
            "published": 730_000 + number,
            "tag": ",".join(rng.sample(["crm", "e-rechnung", "ki", "cloud", "datenschutz"], 2)),
            "sector": rng.choice(["C", "F", "G", "I"]),
            "card": {"slug": f"p-{number}"},
        })
    return docs


def _content(ix) -> dict:
    """Every term of every field with its postings (document, weight, encoded value), and lengths."""
    found = {}
    with ix.reader() as reader:
        assert reader.doc_count() > 0
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[fieldname, text] = (reader.doc_frequency(fieldname, text), postings)
        for docnum in range(reader.doc_count_all()):
            found["lengths", docnum] = tuple(reader.doc_field_length(docnum, name) for name in ("title", "body"))
            found["stored", docnum] = reader.stored_fields(docnum)
    return found


def _build(folder, docs, writer_for, batches: int = 1) -> dict:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    size = -(-len(docs) // batches)
    for start in range(0, len(docs), size):  # later batches merge the earlier segments through the pool
        writer = writer_for(ix)
        for doc in docs[start : start + size]:
            writer.add_document(**doc)
        writer.commit(optimize=start + size >= len(docs) and batches > 1)
    return _content(ix)


def test_a_segment_written_through_the_pool_equals_whooshs(tmp_path):
    docs = _documents(60)
    whooshs = _build(tmp_path / "whoosh", docs, lambda ix: ix.writer(codec=Codec()))
    ours = _build(tmp_path / "ours", docs, _writer)
    assert len(whooshs) > 2_000
    assert ours == whooshs


def test_spilled_runs_and_merged_segments_give_the_same_postings(tmp_path):
    docs = _documents(40)

    def spilling(ix):
        writer = _writer(ix)
        writer.pool.limit = 200_000  # bytes: several runs per segment
        return writer

    whooshs = _build(tmp_path / "whoosh", docs, lambda ix: ix.writer(codec=Codec()), batches=3)
    ours = _build(tmp_path / "ours", docs, spilling, batches=3)
    assert ours == whooshs


postings = st.tuples(
    st.sampled_from(["body", "title", "tag"]),
    st.binary(min_size=1, max_size=3),
    st.integers(min_value=0, max_value=50),
    st.sampled_from([1.0, 2.0, 5.5]),
    st.sampled_from([b"", b"\x01", b"\x02\x00", None]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(postings, max_size=300, unique_by=lambda item: item[:3]), st.sampled_from([10**9, 2_000, 300]))
def test_any_postings_come_out_in_whooshs_order(items, limit):
    """Any order of adding (whoosh's merging adds term by term), spilled or not: sorted as whoosh sorts."""
    pool = TermPool(limit)
    for item in items:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(items, key=lambda item: item[:3])
    pool.cleanup()
