"""Similar practices ("Ähnliche Praxisbeispiele"): more like this on title, summary, tags and body."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from hub.search.arrays import arrays_for
from hub.search.docsets import DocSet
from hub.search.index import SearchIndex
from hub.vocabulary import Status


def similar(index: SearchIndex, user: Any, practice_id: int, limit: int = 5) -> list[dict[str, Any]]:
    """Practices like this one (more like this on title, summary, tags and body) that ``user`` may see."""
    searcher = index.searcher()
    arrays = arrays_for(index, searcher)
    docnum = searcher.document_number(id=str(practice_id))
    if docnum is None:
        return []
    allowed = arrays.listed(user, (Status.PUBLISHED,)) - DocSet.of([docnum])
    if not allowed:
        return []
    stored = searcher.stored_fields(docnum)
    card = stored["card"]
    text = " ".join([card["title"], card["summary"], stored.get("excerpt") or ""])
    keywords = searcher.key_terms_from_text("body", text, numterms=12)
    if not keywords:
        return []
    query = wq.Or([wq.Term("body", word, boost=weight) for word, weight in keywords])
    return [searcher.stored_fields(doc)["card"] for doc, _ in arrays.ranker.top(query, allowed, limit)]
