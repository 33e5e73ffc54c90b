"""JSON shapes of the API (kept in step with ``openapi.py``)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from hub.models import Centre, Collection, ExperienceReport, Practice
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.labels import feed_url, search_url


def centre_json(centre: Centre) -> dict[str, Any]:
    return {"slug": centre.slug, "name": centre.name, "state": centre.state, "kind": centre.kind.value}


def practice_summary(practice: Practice) -> dict[str, Any]:
    return {
        "slug": practice.slug,
        "title": practice.title,
        "kind": practice.kind.value,
        "centre": practice.centre.slug,
        "summary": practice.summary,
        "sectors": [s.code for s in practice.sectors],
        "sizes": [s.code for s in practice.sizes],
        "topics": [t.slug for t in practice.topics],
        "visibility": practice.visibility.value,
        "status": practice.status.value,
        "published": practice.published.isoformat() if practice.published else None,
        "outcome": practice.outcome_result.value if practice.outcome_result else None,
        "url": url_for("practices.detail", slug=practice.slug, _external=True),
    }


def practice_json(
    practice: Practice, visible_related: list[tuple[str, str]], revision: int | None
) -> dict[str, Any]:
    """``visible_related`` and ``revision`` as the reader may know them (``hub.api.v1.practice_body``)."""
    outcome = None
    if practice.outcome_result is not None:
        effort = practice.outcome_effort_days
        outcome = {
            "result": practice.outcome_result.value,
            "effort_days": float(effort) if effort is not None else None,
            "cost_eur": practice.outcome_cost_eur,
        }
    return {
        **practice_summary(practice),
        "authors": sorted(u.username for u in practice.authors),
        "tags": sorted(t.name for t in practice.tags),
        "updated": practice.updated.isoformat() if practice.updated else None,
        "review_due": practice.review_due.isoformat() if practice.review_due else None,
        "outcome": outcome,
        "related": [{"slug": slug, "type": link_type} for slug, link_type in visible_related],
        "body": practice.body,
        "revision": revision,
        "experiences": [experience_json(r) for r in practice.experiences],
    }


def experience_json(report: ExperienceReport) -> dict[str, Any]:
    return {
        "id": report.id,
        "centre": report.centre.slug,
        "sector": report.sector_code,
        "size": report.size_code,
        "result": report.result.value,
        "date": report.date.isoformat(),
        "note": report.note,
    }


def collection_json(collection: Collection, practice_slugs: list[str]) -> dict[str, Any]:
    return {
        "slug": collection.slug,
        "title": collection.title,
        "visibility": collection.visibility.value,
        "centre": collection.centre.slug if collection.centre else None,
        "intro": collection.intro,
        "practices": practice_slugs,
        "url": url_for("collections.detail", slug=collection.slug, _external=True),
        "saved_search": saved_search_json(collection),
    }


def saved_search_json(collection: Collection) -> dict[str, Any] | None:
    """The collection's saved search (its matches follow the curated practices on the page)."""
    saved = SavedSearch.stored(collection.search_query, collection.search_filters)
    if saved is None:
        return None
    return {
        "q": saved.q,
        "filters": saved.filters,
        "search_url": search_url(saved, external=True),
        "feed_url": feed_url(saved, external=True),
    }
