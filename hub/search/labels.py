"""Facet titles and readable names of facet values (codes stay in URLs): for the search page,
saved-search descriptions and collection forms."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from hub.extensions import db
from hub.models import Centre, CompanySize, Sector, Topic
from hub.vocabulary import label

FACET_TITLES = {
    "sector": _l("Sector"),
    "size": _l("Company size"),
    "topic": _l("Topic"),
    "kind": _l("Kind"),
    "centre": _l("Centre"),
    "state": _l("Federal state"),
    "outcome": _l("Outcome"),
    "tag": _l("Tags"),
}


def value_labels() -> dict[str, dict[str, str]]:
    """Readable names of facet values, in one query."""
    named = sa.union_all(
        sa.select(sa.literal("sector"), Sector.code, Sector.code + " – " + Sector.name),
        sa.select(sa.literal("size"), CompanySize.code, CompanySize.name),
        sa.select(sa.literal("topic"), Topic.slug, Topic.name),
        sa.select(sa.literal("centre"), Centre.slug, Centre.name),
    )
    labels: dict[str, dict[str, str]] = {"sector": {}, "size": {}, "topic": {}, "centre": {}}
    for facet, value, name in db.session.execute(named):
        labels[facet][value] = name
    return labels


def value_label(labels: dict[str, dict[str, str]], name: str, value: str) -> str:
    """The readable name of one facet value (``labels`` from ``value_labels()``)."""
    if name in labels:
        return labels[name].get(value, value)
    if name in {"kind", "outcome"}:
        return label(value)
    return value
