"""The start page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from hub.collections.queries import visible_collections
from hub.extensions import db
from hub.models import practice_sectors
from hub.practices.queries import count_by, practice_select
from hub.vocabulary import stored

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    newest = db.session.scalars(practice_select(current_user).limit(8)).all()
    sector_counts = count_by(current_user, practice_sectors.c.sector_code, practice_sectors)
    sectors = stored.sectors()
    return render_template(
        "main/index.html",
        newest=newest,
        sectors=[(s, sector_counts.get(s.code, 0)) for s in sectors],
        collections=visible_collections(current_user)[:6],
    )
