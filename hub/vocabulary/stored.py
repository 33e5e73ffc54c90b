"""The vocabularies as the hub stores them (taxonomy.yml, centres.yml), in one place: centres,
sectors, company sizes and topics in their order, the choices forms offer, and what the hub knows
(the codes an import, an API request or a saved search may refer to).

The order is the database's: the position each entry had in its file (sectors by code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Centre, CompanySize, Practice, Sector, Topic, User

Choices = list[tuple[str, str]]

# The order of each vocabulary, for ``order_by(*ORDER[Topic])`` (also in joins).
ORDER: dict[type, tuple[Any, ...]] = {
    Centre: (Centre.position, Centre.name, Centre.slug),
    Sector: (Sector.code,),
    CompanySize: (CompanySize.position, CompanySize.code),
    Topic: (Topic.position, Topic.slug),
}


def centres() -> list[Centre]:
    return list(db.session.scalars(sa.select(Centre).order_by(*ORDER[Centre])))


def sectors() -> list[Sector]:
    return list(db.session.scalars(sa.select(Sector).order_by(*ORDER[Sector])))


def sizes() -> list[CompanySize]:
    return list(db.session.scalars(sa.select(CompanySize).order_by(*ORDER[CompanySize])))


def topics() -> list[Topic]:
    return list(db.session.scalars(sa.select(Topic).order_by(*ORDER[Topic])))


def centre_choices() -> Choices:
    return [(c.slug, c.name) for c in centres()]


def sector_choices() -> Choices:
    """``("C", "C – Verarbeitendes Gewerbe")``: the code leads, as in WZ 2008."""
    return [(s.code, f"{s.code} – {s.name}") for s in sectors()]


def size_choices() -> Choices:
    return [(s.code, s.name) for s in sizes()]


def topic_choices() -> Choices:
    return [(t.slug, t.name) for t in topics()]


def size_codes() -> tuple[str, ...]:
    """The company sizes from smallest to largest (their order in taxonomy.yml)."""
    return tuple(db.session.scalars(sa.select(CompanySize.code).order_by(*ORDER[CompanySize])))


def size_positions() -> dict[str, int]:
    return dict(db.session.execute(sa.select(CompanySize.code, CompanySize.position)).tuples().all())


def topic_positions() -> dict[str, int]:
    return dict(db.session.execute(sa.select(Topic.slug, Topic.position)).tuples().all())


@dataclass
class Known:
    """What the hub already holds, so a folder, an API request or a saved search may refer to it."""

    centres: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    sizes: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    practices: set[str] = field(default_factory=set)


_KEYS = {
    "centres": Centre.slug,
    "sectors": Sector.code,
    "sizes": CompanySize.code,
    "topics": Topic.slug,
    "users": User.username,
    "practices": Practice.slug,
}
VOCABULARIES = ("centres", "sectors", "sizes", "topics")


def known_to_hub(*parts: str) -> Known:
    """The codes the hub holds — of ``parts`` (e.g. ``VOCABULARIES``) or of everything (the default)."""
    return Known(**{part: set(db.session.scalars(sa.select(_KEYS[part]))) for part in parts or _KEYS})
