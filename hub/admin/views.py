"""Admin pages: accounts (create, edit role/centre/active, set a password) and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.accounts import personal_data, second_factor
from hub.admin import audit_log
from hub.admin.forms import AuditFilterForm, UserForm
from hub.audit import ANONYMOUS_ACTIONS
from hub.auth import operations as accounts
from hub.auth.forms import PostForm
from hub.auth.permissions import Action, can
from hub.extensions import db
from hub.insights.csvout import csv_response
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
                                 active=bool(form.active.data))
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


@bp.post("/users/<username>/second-factor/reset")
def reset_second_factor(username: str) -> Response:
    if not PostForm().validate_on_submit():
        abort(400)
    user = db.session.scalars(sa.select(User).where(User.username == username)).one_or_none() or abort(404)
    second_factor.reset(current_user, user)
    db.session.commit()
    flash(_("The second factor of %(name)s is taken away.", name=user.name), "success")
    return redirect(url_for("admin.edit", username=user.username))


@bp.post("/users/<username>/delete")
def delete_user(username: str) -> Response:
    """Delete an account's personal data at the person's request (see hub.accounts.personal_data)."""
    if not PostForm().validate_on_submit():
        abort(400)
    user = db.session.scalars(sa.select(User).where(User.username == username)).one_or_none() or abort(404)
    if user.id == current_user.id:
        abort(409)  # one's own account: from the account page, with the password
    try:
        personal_data.delete_account(current_user, user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.edit", username=user.username))
    db.session.commit()
    flash(_("The personal data of the account are deleted."), "success")
    return redirect(url_for("admin.users"))


def _form(**kwargs: object) -> UserForm:
    centres = stored.centres()
    return UserForm(centres=[(c.slug, c.name) for c in centres], **kwargs)


def _centre(slug: str | None) -> Centre | None:
    if not slug:
        return None
    return db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none()


@bp.get("/audit")
def audit() -> str | tuple[str, int]:
    form, flt = _audit_filter()
    if form.errors:
        return render_template("admin/audit.html", form=form, pagination=None), 400
    page = request.args.get("page", "1")
    pagination = db.paginate(
        flt.statement(),
        page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
        per_page=int(current_app.config["PER_PAGE"]),
        error_out=False,
    )
    return render_template(
        "admin/audit.html", form=form, pagination=pagination, actor_name=audit_log.actor_name,
        anonymous_actions=ANONYMOUS_ACTIONS,
    )


@bp.get("/audit.csv")
def audit_csv() -> Response:
    form, flt = _audit_filter()
    if form.errors:
        abort(400)
    return csv_response("audit.csv", audit_log.csv_rows(flt))


def _audit_filter() -> tuple[AuditFilterForm, audit_log.AuditFilter]:
    form = AuditFilterForm(request.args, actions=audit_log.actions())
    if request.args and not form.validate():
        return form, audit_log.AuditFilter()
    flt = audit_log.AuditFilter(actor=form.actor.data or "", action=form.action.data or "",
                                since=form.since.data, until=form.until.data)
    return form, flt
