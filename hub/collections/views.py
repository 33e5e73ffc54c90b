"""Collection pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from hub.collections.queries import collection_practices, get_collection, practice_counts, visible_collections
from hub.markdown import render
from hub.practices.queries import link_resolver

bp = Blueprint("collections", __name__, url_prefix="/collections")


@bp.get("/")
def index() -> str:
    return render_template(
        "collections/index.html",
        collections=visible_collections(current_user),
        counts=practice_counts(current_user),
    )


@bp.get("/<slug>")
def detail(slug: str) -> str:
    collection = get_collection(current_user, slug)
    if collection is None:
        abort(404)
    return render_template(
        "collections/detail.html",
        collection=collection,
        intro=render(collection.intro, link_resolver(current_user)),
        practices=collection_practices(current_user, collection),
    )
