"""Model factories: practices are created through the real operations layer."""

from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa

from hub.extensions import db
from hub.models import Practice, User
from hub.practices.data import PracticeData
from hub.practices.operations import create_practice

_counter = itertools.count(1)


def practice_data(**overrides: Any) -> PracticeData:
    n = next(_counter)
    values: dict[str, Any] = dict(
        title=f"Testpraxis {n}",
        slug=f"testpraxis-{n}",
        kind="case-study",
        centre="zz-sachsen",
        summary="Eine Zusammenfassung für Tests.",
        sectors=["C"],
        sizes=["small"],
        topics=["prozessdigitalisierung"],
        visibility="public",
        status="published",
        body="Ein Absatz.",
    )
    values.update(overrides)
    return PracticeData(**values)


def make_practice(actor: User | None = None, **overrides: Any) -> Practice:
    practice = create_practice(actor, practice_data(**overrides))
    db.session.commit()
    return practice


def user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()
