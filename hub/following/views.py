"""Follow buttons, the notification list and the profile page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.auth.forms import PostForm
from hub.auth.redirects import safe_next
from hub.extensions import db
from hub.following import operations
from hub.following.forms import WatchForm
from hub.models import Collection, Practice, Sector, Tag, Topic, Watch, WatchTarget
from hub.practices.queries import get_practice
from hub.saved_searches.criteria import MAX_KEY, SavedSearch
from hub.saved_searches.labels import describe as describe_search
from hub.saved_searches.labels import search_url

bp = Blueprint("following", __name__)


@bp.post("/watch")
@login_required
def toggle() -> Response:
    form = WatchForm()
    if not form.validate_on_submit() or form.target.data not in {t.value for t in WatchTarget}:
        abort(400)
    target, key = WatchTarget(form.target.data), form.key.data
    if not _exists(target, key):
        abort(404)
    if operations.is_watching(current_user, target, key):
        operations.unwatch(current_user, target, key)
        flash(_("You no longer follow this."), "success")
    else:
        operations.watch(current_user, target, key)
        flash(_("You follow this now: new and updated practices appear in your notifications."), "success")
    db.session.commit()
    return redirect(safe_next(form.next.data, url_for("following.notifications")))


@bp.get("/notifications")
@login_required
def notifications() -> str:
    return render_template(
        "following/notifications.html",
        notifications=operations.visible_notifications(current_user),
        form=PostForm(),
    )


@bp.post("/notifications/read")
@login_required
def mark_read() -> Response:
    if not PostForm().validate_on_submit():
        abort(400)
    raw = request.form.get("notification")
    operations.mark_read(current_user, int(raw) if raw and raw.isdigit() else None)
    db.session.commit()
    return redirect(url_for("following.notifications"))


@bp.get("/profile")
@login_required
def profile() -> str:
    """What the person follows; the account settings live on /account."""
    watches = db.session.scalars(
        sa.select(Watch).where(Watch.user_id == current_user.id).order_by(Watch.target, Watch.key)
    ).all()
    return render_template(
        "following/profile.html",
        watches=[(w, describe(w)) for w in watches],
        watch_form=WatchForm(),
    )


def describe(item: Watch) -> tuple[str, str | None]:
    """(label, URL) of a watched thing, as far as it still exists and may be seen."""
    if item.target == WatchTarget.PRACTICE:
        practice = db.session.get(Practice, int(item.key))
        visible = practice is not None and get_practice(current_user, practice.slug) is not None
        return (
            (practice.title, url_for("practices.detail", slug=practice.slug))
            if visible and practice is not None  # (visible implies it; the checker does not know)
            else (_("(not available)"), None)
        )
    if item.target == WatchTarget.TAG:
        return _("Tag") + f": {item.key}", url_for("taxonomy.tag", name=item.key)
    if item.target == WatchTarget.SECTOR:
        sector = db.session.get(Sector, item.key)
        return _("Sector") + f": {item.key} – {sector.name if sector else ''}", url_for(
            "taxonomy.sector", code=item.key
        )
    if item.target == WatchTarget.TOPIC:
        topic = db.session.scalars(sa.select(Topic).where(Topic.slug == item.key)).one_or_none()
        return _("Topic") + f": {topic.name if topic else item.key}", url_for("taxonomy.topic", slug=item.key)
    if item.target == WatchTarget.SEARCH:
        saved = SavedSearch.from_key(item.key)
        return _("Search") + ": " + (describe_search(saved) or _("all practices")), search_url(saved)
    collection = db.session.get(Collection, int(item.key))
    if collection is None:
        return _("(not available)"), None
    return _("Collection") + f": {collection.title}", url_for("collections.detail", slug=collection.slug)


def _exists(target: WatchTarget, key: str) -> Any:
    if target == WatchTarget.PRACTICE:
        practice = db.session.get(Practice, int(key)) if key.isdigit() else None
        return practice is not None and get_practice(current_user, practice.slug) is not None
    if target == WatchTarget.TAG:
        return db.session.scalars(sa.select(Tag.id).where(Tag.name == key)).first()
    if target == WatchTarget.SECTOR:
        return db.session.get(Sector, key)
    if target == WatchTarget.TOPIC:
        return db.session.scalars(sa.select(Topic.id).where(Topic.slug == key)).first()
    if target == WatchTarget.SEARCH:
        saved = SavedSearch.from_key(key)
        return not saved.empty and saved.key() == key and len(key) <= MAX_KEY
    return key.isdigit() and db.session.get(Collection, int(key))
