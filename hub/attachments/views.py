"""The attachment page of a practice (attach, describe, reorder, remove) and file downloads."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.attachments.files import FILE_TYPES, AttachmentRefused
from hub.attachments.forms import AttachmentForm, DescribeForm, refusal_message
from hub.attachments.operations import (
    add_attachment,
    describe_attachment,
    file_path,
    move_attachment,
    remove_attachment,
)
from hub.auth.permissions import Action, can
from hub.extensions import db
from hub.models import Attachment, Practice
from hub.practices.forms import ConfirmForm
from hub.practices.queries import get_practice

bp = Blueprint("attachments", __name__, url_prefix="/practices")


@bp.get("/<slug>/files/<int:attachment_id>/<path:name>")
def download(slug: str, attachment_id: int, name: str) -> Any:
    """The file, for readers who may see the practice (everyone else: 404, as for the page)."""
    practice = _visible(slug)
    attachment = _attachment(practice, attachment_id)
    path = file_path(attachment.sha256)
    if not path.is_file():
        abort(404)
    file_type = FILE_TYPES.get(attachment.content_type)
    inline = bool(file_type and file_type.inline) and request.args.get("download") is None
    response = send_file(
        io.BytesIO(path.read_bytes()),  # at most ATTACHMENT_MAX_MB; no file handle left open
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=attachment.file_name,
        conditional=True,
        etag=attachment.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/<slug>/attachments")
@login_required
def manage(slug: str) -> Any:
    practice = _editable(slug)
    return _page(practice, AttachmentForm())


@bp.post("/<slug>/attachments")
@login_required
def attach(slug: str) -> Any:
    practice = _editable(slug)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _page(practice, form), 400
    file = form.file.data
    if file is None or not getattr(file, "filename", ""):
        form.file.errors = [refusal_message("empty")]
        return _page(practice, form), 400
    try:
        attachment = add_attachment(
            current_user, practice, file.read(), file.filename, form.title.data or "", form.note.data or ""
        )
    except AttachmentRefused as refused:
        db.session.rollback()
        form.file.errors = [refusal_message(refused.reason)]
        return _page(db.session.get(Practice, practice.id) or practice, form), 422
    db.session.commit()
    flash(_("“%(name)s” is attached.", name=attachment.file_name), "success")
    return redirect(url_for("attachments.manage", slug=practice.slug))


@bp.post("/<slug>/attachments/<int:attachment_id>")
@login_required
def describe(slug: str, attachment_id: int) -> Any:
    practice = _editable(slug)
    attachment = _attachment(practice, attachment_id)
    form = DescribeForm(prefix=f"a{attachment.id}")
    if not form.validate_on_submit():
        flash(_("Title or note too long."), "error")
        return redirect(url_for("attachments.manage", slug=practice.slug))
    if describe_attachment(current_user, attachment, form.title.data or "", form.note.data or ""):
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("attachments.manage", slug=practice.slug))


@bp.post("/<slug>/attachments/<int:attachment_id>/move")
@login_required
def move(slug: str, attachment_id: int) -> Any:
    practice = _editable(slug)
    attachment = _attachment(practice, attachment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    offset = -1 if request.form.get("direction") == "up" else 1
    if move_attachment(current_user, attachment, offset):
        db.session.commit()
    return redirect(url_for("attachments.manage", slug=practice.slug, _anchor=f"attachment-{attachment.id}"))


@bp.post("/<slug>/attachments/<int:attachment_id>/delete")
@login_required
def remove(slug: str, attachment_id: int) -> Any:
    practice = _editable(slug)
    attachment = _attachment(practice, attachment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = attachment.file_name
    remove_attachment(current_user, attachment)
    db.session.commit()
    flash(_("“%(name)s” is no longer attached.", name=name), "success")
    return redirect(url_for("attachments.manage", slug=practice.slug))


def _page(practice: Practice, form: AttachmentForm) -> str:
    describe_forms = {}
    for attachment in practice.attachments:
        describe_form = DescribeForm(prefix=f"a{attachment.id}", formdata=None)
        describe_form.title.data, describe_form.note.data = attachment.title, attachment.note
        describe_forms[attachment.id] = describe_form
    return render_template(
        "attachments/manage.html",
        practice=practice,
        form=form,
        describe_forms=describe_forms,
        confirm_form=ConfirmForm(),
    )


def _visible(slug: str) -> Practice:
    """The practice if the user may see it; 404 otherwise (hidden and missing look alike)."""
    practice = get_practice(current_user, slug)
    if practice is None:
        abort(404)
    return practice


def _editable(slug: str) -> Practice:
    practice = _visible(slug)
    if not can(current_user, Action.EDIT_PRACTICE, practice):
        abort(403)
    return practice


def _attachment(practice: Practice, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.practice_id != practice.id:
        abort(404)
    return attachment


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """1 234 567 → "1,2 MB" (German) / "1.2 MB"."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024, 1))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"


@bp.app_template_global()
def file_type_label(content_type: str) -> str:
    file_type = FILE_TYPES.get(content_type)
    return file_type.label if file_type else content_type
