"""Invitation pages: invite and list (coordinators, admins), and the invitee's join page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.accounts import invitations
from hub.accounts.forms import InvitationForm, JoinForm, JoinWithPasswordForm
from hub.accounts.views import bp
from hub.auth import oidc, sessions
from hub.auth.forms import PostForm
from hub.auth.operations import AccountError
from hub.auth.permissions import Action, can
from hub.extensions import available_locales, db
from hub.models import Centre, Invitation
from hub.vocabulary import Role, label


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations_page() -> str | Response | tuple[str, int]:
    if not can(current_user, Action.INVITE_MEMBERS):
        abort(403)
    form = _invitation_form()
    if form.validate_on_submit():
        try:
            invitations.invite(current_user, form.email.data, Role(form.role.data), _centre(form.centre.data),
                               form.language.data)
        except AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The invitation is sent to %(email)s.", email=form.email.data.strip()), "success")
            return redirect(url_for("accounts.invitations_page"))
    page = render_template("accounts/invitations.html", form=form, invitations=invitations.open_invitations(),
                           post_form=PostForm())
    return page, 400 if form.errors else 200


@bp.post("/invitations/<int:invitation_id>/<any(resend, revoke):step>")
@login_required
def invitation_step(invitation_id: int, step: str) -> Response:
    if not PostForm().validate_on_submit():
        abort(400)
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    try:
        (invitations.resend if step == "resend" else invitations.revoke)(current_user, invitation)
    except AccountError:
        abort(409)
    db.session.commit()
    message = _("Sent again.") if step == "resend" else _("Revoked.")
    flash(f"{message} {invitation.email}", "success")
    return redirect(url_for("accounts.invitations_page"))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> str | Response | tuple[str, int]:
    invitation = invitations.valid_invitation(token)
    if invitation is None:
        return render_template("accounts/link_invalid.html"), 404
    form = JoinWithPasswordForm() if oidc.password_login() else JoinForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, username=form.username.data, name=form.name.data,
                                      password=_chosen_password(form))
        except invitations.AlreadyMember as error:
            db.session.rollback()
            return render_template("accounts/join.html", form=form, invitation=invitation,
                                   already=str(error)), 409
        except AccountError as error:
            db.session.rollback()
            field = getattr(form, error.field, form.username)
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            sessions.end()
            flash(_joined_message(user.name), "success")
            return redirect(url_for("auth.login"))
    return render_template("accounts/join.html", form=form, invitation=invitation, already=None), (
        400 if form.errors else 200
    )


def _chosen_password(form: JoinForm) -> str | None:
    return form.password.data if isinstance(form, JoinWithPasswordForm) else None


def _joined_message(name: str) -> str:
    """After joining: log in — with single sign-on only, through the provider (the login page then
    offers its button and no password form)."""
    if oidc.password_login() or not oidc.configured():
        return _("Welcome, %(name)s! Your account is ready: please log in.", name=name)
    return _("Welcome, %(name)s! Your account is ready: please sign in with %(provider)s, using the "
             "address this invitation was sent to.", name=name, provider=oidc.provider_name())


def _invitation_form() -> InvitationForm:
    centres = db.session.scalars(sa.select(Centre).order_by(Centre.position, Centre.name)).all()
    return InvitationForm(
        roles=[(r.value, str(label(r))) for r in invitations.invitable_roles(current_user)],
        centres=[(c.slug, c.name) for c in centres],
        locales=available_locales(),
    )


def _centre(slug: str | None) -> Centre | None:
    if not slug:
        return None
    return db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none()
