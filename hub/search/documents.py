"""What the index holds of a practice: the schema and the document built from the database row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from hub.markdown import plain_text
from hub.models import Practice
from hub.search.analysis import GERMAN, SPELLING, ngram_analyzer, pair_analyzer
from hub.search.fields import Text
from hub.search.senses import field_value, forms_analyzer
from hub.vocabulary import Status, Visibility

EXCERPT_CHARS = 1500  # snippets come from this bounded, stored start of the body text
FILE_EXCERPT_CHARS = 3000  # … and of each attached file's text

# Facet fields: exact values, several per practice, separated by commas in the document.
FACETS = ("sector", "size", "topic", "kind", "centre", "state", "outcome", "status", "visibility", "tag")
# Visibility fields: the same facts ``hub.visibility`` decides on.
ACCESS = ("author", "centre_id")

LOAD_OPTIONS = (
    selectinload(Practice.centre),
    selectinload(Practice.sectors),
    selectinload(Practice.sizes),
    selectinload(Practice.topics),
    selectinload(Practice.tags),
    selectinload(Practice.authors),
    selectinload(Practice.experiences),
    selectinload(Practice.attachments),
)


def _keyword() -> KEYWORD:
    return KEYWORD(commas=True, lowercase=False, scorable=False, stored=False)


def make_schema() -> Schema:
    """Field boosts: title > summary > tags/topics/sector names > body > attached files; n-grams
    below whole words.

    Phrases are looked up in ``pairs`` (adjacent terms of all text fields), so the text fields keep
    no positions.
    """
    return Schema(
        id=ID(stored=True, unique=True),
        title=Text(analyzer=GERMAN, field_boost=5.0, phrase=False),
        summary=Text(analyzer=GERMAN, field_boost=3.0, phrase=False),
        meta=Text(analyzer=GERMAN, field_boost=2.0, phrase=False),
        body=Text(analyzer=GERMAN, field_boost=1.0, phrase=False),
        files=Text(analyzer=GERMAN, field_boost=0.5, phrase=False),
        pairs=Text(analyzer=pair_analyzer(), phrase=False),
        parts=Text(analyzer=ngram_analyzer(), field_boost=0.25, phrase=False),
        spell=Text(analyzer=SPELLING, phrase=False),
        forms=TEXT(analyzer=forms_analyzer(), phrase=False),  # words as written (``hub.search.senses``)
        published=NUMERIC(int, bits=32, sortable=True, signed=False),
        card=STORED(),
        excerpt=STORED(),
        file_excerpts=STORED(),
        fp=STORED(),
        **{name: _keyword() for name in FACETS + ACCESS},
    )


def _values(items: list[str]) -> str:
    return ",".join(item.replace(",", " ") for item in items)


def document(practice: Practice) -> dict[str, Any]:
    """The index document of one practice (everything search, facets, snippets and visibility need)."""
    body = plain_text(practice.body)
    notes = " ".join(report.note for report in practice.experiences)
    tags = [tag.name for tag in practice.tags]
    meta = " ".join(
        [*(t.replace("-", " ") for t in tags), *(t.name for t in practice.topics)]
        + [s.name for s in practice.sectors]
        + [practice.centre.name]
    )
    files = [(a.file_name, f"{a.title} {a.file_name} {a.text or ''}") for a in practice.attachments]
    files_text = "\n".join(text for _, text in files)
    public_published = practice.status == Status.PUBLISHED and practice.visibility == Visibility.PUBLIC
    card = {
        "slug": practice.slug,
        "title": practice.title,
        "kind": practice.kind.value,
        "centre": practice.centre.slug,
        "centre_name": practice.centre.name,
        "sectors": [s.code for s in practice.sectors],
        "outcome": practice.outcome_result.value if practice.outcome_result else None,
        "status": practice.status.value,
        "visibility": practice.visibility.value,
        "published": practice.published.isoformat() if practice.published else None,
        "summary": practice.summary,
    }
    doc: dict[str, Any] = {
        "id": str(practice.id),
        "title": practice.title,
        "summary": practice.summary,
        "meta": meta,
        "body": f"{body} {notes}",
        "files": files_text,
        "pairs": f"{practice.title}\n{practice.summary}\n{meta}\n{body} {notes}\n{files_text}",
        "parts": f"{practice.title} {practice.summary} {meta}",
        # Suggestions come only from what everyone may see, so they never reveal a hidden practice.
        "spell": f"{practice.title} {practice.summary} {meta}" if public_published else "",
        "forms": field_value(practice.title, practice.summary, meta, f"{body} {notes}"),
        "published": practice.published.toordinal() if practice.published else 0,
        "card": card,
        "excerpt": body[:EXCERPT_CHARS],
        # (file name, start of its text): the snippet of a hit found only in a file
        "file_excerpts": [[name, text[:FILE_EXCERPT_CHARS]] for name, text in files if text.strip()],
        "sector": _values([s.code for s in practice.sectors]),
        "size": _values([s.code for s in practice.sizes]),
        "topic": _values([t.slug for t in practice.topics]),
        "kind": practice.kind.value,
        "centre": practice.centre.slug,
        "state": practice.centre.state,
        "outcome": practice.outcome_result.value if practice.outcome_result else "",
        "status": practice.status.value,
        "visibility": practice.visibility.value,
        "tag": _values(tags),
        "author": _values([str(u.id) for u in practice.authors]),
        "centre_id": str(practice.centre_id),
    }
    doc["fp"] = fingerprint(doc)
    return doc


def fingerprint(doc: dict[str, Any]) -> str:
    """A hash of everything indexed: ``hub index check`` compares it with the database."""
    payload = {key: value for key, value in doc.items() if key != "fp"}
    return hashlib.sha1(
        json.dumps(payload, sort_keys=True, default=str).encode(), usedforsecurity=False
    ).hexdigest()


def load_practices(session: Session, ids: list[int] | None = None, batch: int = 500) -> Iterator[Practice]:
    """Practices with everything ``document`` reads, in batches (all of them when ``ids`` is None)."""
    if ids is not None:
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            stmt = sa.select(Practice).where(Practice.id.in_(chunk)).options(*LOAD_OPTIONS)
            yield from session.scalars(stmt)
        return
    last = 0
    while True:
        stmt = (
            sa.select(Practice)
            .where(Practice.id > last)
            .order_by(Practice.id)
            .limit(batch)
            .options(*LOAD_OPTIONS)
        )
        rows = list(session.scalars(stmt))
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        session.expunge_all()
