"""Tag governance pages for coordinators: usage counts, rename, merge, aliases."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.auth.permissions import Action, can
from hub.extensions import db
from hub.models import Tag, TagAlias
from hub.practices.forms import TransitionForm
from hub.taxonomy.operations import TagError, add_alias, merge_tags, remove_alias, rename_tag, usage_counts

bp = Blueprint("tagadmin", __name__, url_prefix="/tags/manage")


@bp.before_request
@login_required
def _coordinators_only() -> None:
    if not can(current_user, Action.MANAGE_TAGS):
        abort(403)


@bp.get("/")
def index() -> str:
    return render_template("taxonomy/manage.html", tags=usage_counts(), form=TransitionForm())


@bp.post("/<int:tag_id>")
def change(tag_id: int) -> Any:
    """One governance action on a tag: ``rename``, ``merge``, ``add-alias`` or ``remove-alias``."""
    tag = db.session.get(Tag, tag_id) or abort(404)
    if not TransitionForm().validate_on_submit():
        abort(400)
    action = request.form.get("action")
    value = (request.form.get("value") or "").strip()
    try:
        if action == "rename":
            old = tag.name
            rename_tag(current_user, tag, value)
            message = _("Tag “%(old)s” renamed to “%(new)s”.", old=old, new=tag.name)
        elif action == "merge":
            target = db.session.scalars(sa.select(Tag).where(Tag.name == value)).one_or_none()
            if target is None:
                raise TagError("unknown target")
            name = tag.name
            count = merge_tags(current_user, tag, target)
            message = _(
                "“%(old)s” merged into “%(new)s” (%(count)d practices).", old=name, new=value, count=count
            )
        elif action == "add-alias":
            add_alias(current_user, tag, value)
            message = _("Alias “%(alias)s” added.", alias=value)
        elif action == "remove-alias":
            alias = db.session.get(TagAlias, value)
            if alias is None or alias.tag_id != tag.id:
                abort(404)
            remove_alias(current_user, alias)
            message = _("Alias “%(alias)s” removed.", alias=value)
        else:
            abort(400)
    except TagError:
        db.session.rollback()
        flash(
            _("Not possible: the name is not a valid tag, already taken, or the target does not exist."),
            "error",
        )
        return redirect(url_for("tagadmin.index"))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("tagadmin.index"))
