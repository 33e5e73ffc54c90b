"""Pages per centre, sector, topic and tag: a heading plus the practice list narrowed to it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from hub.extensions import db
from hub.models import Centre, Practice, Sector, Tag, Topic, practice_sectors, practice_tags, practice_topics
from hub.practices.pages import render_practice_list
from hub.practices.queries import PracticeFilter, count_by, tag_visible
from hub.vocabulary import stored

bp = Blueprint("taxonomy", __name__)


def _narrowed(**fixed: list[str]) -> PracticeFilter:
    flt = PracticeFilter.from_args(request.args)
    for attr, values in fixed.items():
        setattr(flt, attr, values)
    return flt


@bp.get("/centres/")
def centres() -> str:
    counts = count_by(current_user, Practice.centre_id)
    items = stored.centres()
    return render_template("taxonomy/centres.html", centres=[(c, counts.get(str(c.id), 0)) for c in items])


@bp.get("/centres/<slug>")
def centre(slug: str) -> str:
    item = db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none() or abort(404)
    return render_practice_list(
        "taxonomy/centre.html", _narrowed(centres=[slug]), centre=item, fixed="centre"
    )


@bp.get("/sectors/")
def sectors() -> str:
    counts = count_by(current_user, practice_sectors.c.sector_code, practice_sectors)
    items = stored.sectors()
    return render_template("taxonomy/sectors.html", sectors=[(s, counts.get(s.code, 0)) for s in items])


@bp.get("/sectors/<code>")
def sector(code: str) -> str:
    item = db.session.get(Sector, code.upper()) or abort(404)
    return render_practice_list(
        "taxonomy/sector.html", _narrowed(sectors=[item.code]), sector=item, fixed="sector"
    )


@bp.get("/topics/")
def topics() -> str:
    counts = count_by(current_user, practice_topics.c.topic_id, practice_topics)
    items = stored.topics()
    return render_template("taxonomy/topics.html", topics=[(t, counts.get(str(t.id), 0)) for t in items])


@bp.get("/topics/<slug>")
def topic(slug: str) -> str:
    item = db.session.scalars(sa.select(Topic).where(Topic.slug == slug)).one_or_none() or abort(404)
    return render_practice_list("taxonomy/topic.html", _narrowed(topics=[slug]), topic=item, fixed="topic")


@bp.get("/tags/")
def tags() -> str:
    counts = count_by(current_user, practice_tags.c.tag_id, practice_tags)
    items = db.session.scalars(sa.select(Tag).order_by(Tag.name)).all()
    return render_template(
        "taxonomy/tags.html", tags=[(t, counts[str(t.id)]) for t in items if counts.get(str(t.id))]
    )


@bp.get("/tags/<name>")
def tag(name: str) -> str:
    item = db.session.scalars(sa.select(Tag).where(Tag.name == name)).one_or_none()
    if item is None or not tag_visible(current_user, item):
        abort(404)  # a tag only hidden practices carry looks like no tag at all
    return render_practice_list("taxonomy/tag.html", _narrowed(tags=[name]), tag=item, fixed="tag")
