"""Atom feeds of new and updated published public practices: all, per sector, topic, tag, collection
(with its saved search) and per search (``/feeds/search.atom?q=…&sector=…``).

Feeds are read by feed readers without a login, so they hold only what anonymous visitors see.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request, url_for
from flask_babel import gettext as _

from hub.collections.queries import collection_practices, get_collection
from hub.extensions import db
from hub.feeds.atom import atom_feed
from hub.models import Practice, Sector, Tag, Topic
from hub.practices.queries import PracticeFilter, practice_select
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.labels import describe, feed_url, search_url
from hub.saved_searches.results import matching_practices

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
LIMIT = 50


def _latest(flt: PracticeFilter) -> list[Practice]:
    stmt = practice_select(None, flt).order_by(None).order_by(Practice.modified_at.desc()).limit(LIMIT)
    return list(db.session.scalars(stmt))


def _response(title: str, page_url: str, practices: list[Practice], self_url: str | None = None) -> Response:
    body = atom_feed(f"Praxis-Hub – {title}", self_url or request.base_url, page_url, practices)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": "public, max-age=300"})


@bp.get("/practices.atom")
def practices() -> Response:
    return _response(
        _("New and updated practices"), url_for("practices.index", _external=True), _latest(PracticeFilter())
    )


@bp.get("/sectors/<code>.atom")
def sector(code: str) -> Response:
    item = db.session.get(Sector, code.upper()) or abort(404)
    page = url_for("taxonomy.sector", code=item.code, _external=True)
    return _response(
        f"{_('Sector')} {item.code}: {item.name}", page, _latest(PracticeFilter(sectors=[item.code]))
    )


@bp.get("/topics/<slug>.atom")
def topic(slug: str) -> Response:
    item = db.session.scalars(sa.select(Topic).where(Topic.slug == slug)).one_or_none() or abort(404)
    page = url_for("taxonomy.topic", slug=slug, _external=True)
    return _response(f"{_('Topic')}: {item.name}", page, _latest(PracticeFilter(topics=[slug])))


@bp.get("/tags/<name>.atom")
def tag(name: str) -> Response:
    item = db.session.scalars(sa.select(Tag).where(Tag.name == name)).one_or_none() or abort(404)
    page = url_for("taxonomy.tag", name=item.name, _external=True)
    return _response(f"{_('Tag')}: {item.name}", page, _latest(PracticeFilter(tags=[item.name])))


@bp.get("/collections/<slug>.atom")
def collection(slug: str) -> Response:
    item = get_collection(None, slug) or abort(404)
    page = url_for("collections.detail", slug=slug, _external=True)
    practices = collection_practices(None, item)
    saved = SavedSearch.stored(item.search_query, item.search_filters)
    if saved is not None:
        practices += matching_practices(None, saved, exclude={p.id for p in practices}, limit=LIMIT).practices
    practices = sorted(practices, key=lambda p: p.modified_at, reverse=True)[:LIMIT]
    return _response(f"{_('Collection')}: {item.title}", page, practices)


@bp.get("/search.atom")
def search() -> Response:
    """The published public practices matching a search (the ``/search`` URL's q and filters), newest
    first; sort, status and page parameters do not apply."""
    saved = SavedSearch.from_args(request.args)
    title = f"{_('Search')}: {describe(saved)}" if not saved.empty else _("New and updated practices")
    practices = matching_practices(None, saved, limit=LIMIT).practices
    return _response(
        title, search_url(saved, external=True), practices, self_url=feed_url(saved, external=True)
    )
