"""``hub index check``: does the index say exactly what the database says?"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from hub.search.documents import document, load_practices
from hub.search.index import SearchIndex


@dataclass
class CheckReport:
    practices: int = 0
    documents: int = 0
    pending: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "in step" if self.ok else f"DRIFT ({len(self.problems)} problem(s))"
        return (
            f"Index {verdict}: {self.practices} practices in the database, {self.documents} in the index, "
            f"{self.pending} outbox row(s) pending."
        )


def check_index(
    index: SearchIndex, session: Session, progress: Callable[[int], None] | None = None
) -> CheckReport:
    report = CheckReport()
    with warnings.catch_warnings():  # whoosh leaves the files of a broken index open
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            indexed = _indexed(index)
        except Exception as error:  # noqa: BLE001 - an unreadable index is the worst drift of all
            report.problems.append(f"index unreadable: {type(error).__name__}: {error}")
            indexed = None
        if indexed is None:
            index.close()
            gc.collect()
            return report
    report.documents = len(indexed)
    if index.outdated():
        report.problems.append("index built with another schema: run `hub index rebuild`")
    report.pending = index.pending_count(session)
    if report.pending:
        report.problems.append(f"{report.pending} outbox row(s) not applied yet")
    for practice in load_practices(session):
        report.practices += 1
        key = str(practice.id)
        expected = document(practice)["fp"]
        found = indexed.pop(key, None)
        if found is None:
            report.problems.append(f"missing from index: {practice.slug} (id {key})")
        elif found != expected:
            report.problems.append(f"stale in index: {practice.slug} (id {key})")
        if progress:
            progress(1)
    report.problems.extend(f"in index but not in database: id {key}" for key in sorted(indexed))
    return report


def _indexed(index: SearchIndex) -> dict[str, str]:
    """id → fingerprint of every live document, read through a fresh searcher (no cache)."""
    index.close()
    searcher = index.searcher()
    seen: dict[str, str] = {}
    for fields in searcher.all_stored_fields():
        if fields["id"] in seen:
            raise ValueError(f"document {fields['id']} indexed twice")
        seen[fields["id"]] = fields["fp"]
    # Reading every posting list of the id field proves the term index is intact, too.
    ids = {searcher.reader().stored_fields(doc)["id"] for doc in searcher.document_numbers()}
    if ids != set(seen):
        raise ValueError("id terms and stored documents disagree")
    return seen
