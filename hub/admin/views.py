"""Admin pages: accounts (create, edit role/centre/active, set a password)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.admin.forms import UserForm
from hub.auth import operations as accounts
from hub.auth.permissions import Action, can
from hub.extensions import db
from hub.models import AuditEvent, Centre, User
from hub.vocabulary import Role, stored

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def only_admins() -> None:
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)


@bp.get("/users")
def users() -> str:
    items = db.session.scalars(sa.select(User).order_by(User.username)).all()
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.at.desc()).limit(30)).all()
    return render_template("admin/users.html", users=items, events=events)


@bp.route("/users/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = _form()
    form.password.flags.required = True
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Please set a first password.")]
        else:
            try:
                user = accounts.create_user(
                    current_user,
                    form.username.data,
                    form.name.data,
                    form.email.data,
                    Role(form.role.data),
                    _centre(form.centre.data),
                    form.password.data,
                )
                user.active = bool(form.active.data)
                db.session.commit()
            except accounts.AccountError as error:
                db.session.rollback()
                getattr(form, error.field).errors = [str(error)]
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<username>", methods=["GET", "POST"])
def edit(username: str) -> str | Response | tuple[str, int]:
    user = db.session.scalars(sa.select(User).where(User.username == username)).one_or_none() or abort(404)
    form = _form(obj=user)
    if not form.is_submitted():
        form.centre.data = user.centre.slug if user.centre else ""
        form.role.data = user.role.value
    form.username.data = user.username  # not editable: it names the account everywhere
    if form.validate_on_submit():
        try:
            accounts.update_user(current_user, user, name=form.name.data, email=form.email.data,
                                 role=Role(form.role.data), centre=_centre(form.centre.data),
                                 active=bool(form.active.data))  # fmt: skip
            if form.password.data:
                accounts.set_password(current_user, user, form.password.data)
            db.session.commit()
        except accounts.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [str(error)]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.edit", username=user.username))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else 200


def _form(**kwargs: object) -> UserForm:
    centres = stored.centres()
    return UserForm(centres=[(c.slug, c.name) for c in centres], **kwargs)


def _centre(slug: str | None) -> Centre | None:
    if not slug:
        return None
    return db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none()
