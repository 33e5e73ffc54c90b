"""Writing: the editor (new, edit, preview, upload, conflict), history actions and the workflow buttons.

Thin views: parse the form, ask ``can`` for what to show, call an operation, render. The operations
enforce the permissions.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hub.attachments.drafts import attach_source, draft_from_file
from hub.attachments.files import AttachmentRefused
from hub.attachments.forms import refusal_message
from hub.auth.permissions import Action, PermissionDenied, can
from hub.extensions import db
from hub.markdown import render
from hub.models import ExperienceReport, Practice, Revision
from hub.practices import editing
from hub.practices.diff import diff_data, field_label
from hub.practices.experiences import (
    NotPublished,
    ReportData,
    add_experience,
    delete_experience,
    update_experience,
)
from hub.practices.forms import (
    ConfirmForm,
    ExperienceForm,
    PracticeForm,
    TransitionForm,
)
from hub.practices.operations import (
    Conflict,
    FieldsRefused,
    SlugTaken,
    UnknownReference,
    create_practice,
    delete_practice,
    practice_data,
    restore_revision,
    update_practice,
)
from hub.practices.pages import visible_or_404
from hub.practices.queries import link_resolver, revision_meta, visible_revisions
from hub.practices.workflow import InvalidTransition, Transition, confirm_still_valid, transition
from hub.uploads.forms import upload_error_message
from hub.uploads.operations import UploadRefused, markdown_for, save_image
from hub.vocabulary import label

bp = Blueprint("editor", __name__, url_prefix="/practices")
bp.add_app_template_global(field_label)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    if not can(current_user, Action.CREATE_PRACTICE):
        abort(403)
    form = _form()
    if request.method == "GET":
        form.authors.data = current_user.username
        form.centre.data = current_user.centre.slug if current_user.centre else None
        form.visibility.data = "public"
    return _handle(form, None)


@bp.post("/new/from-word")
@login_required
def from_word() -> Any:
    """"Aus Word-Datei übernehmen": the editor filled with a draft from a DOCX/ODT file."""
    if not can(current_user, Action.CREATE_PRACTICE):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    form = _form()
    form.authors.data = current_user.username
    form.centre.data = current_user.centre.slug if current_user.centre else None
    form.visibility.data = "internal"
    file = request.files.get("document")
    try:
        if file is None or not file.filename:
            raise AttachmentRefused("empty")
        draft = draft_from_file(current_user, file.read(), file.filename)
    except AttachmentRefused as refused:
        db.session.rollback()
        return _editor(form, None, word_error=refusal_message(refused.reason)), 422
    db.session.commit()  # the images, now uploads
    form.title.data, form.body.data, form.source_file.data = draft.title, draft.body, draft.source
    form.source_name = draft.file_name
    return _editor(form, None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Any:
    practice = visible_or_404(slug)
    if not can(current_user, Action.EDIT_PRACTICE, practice):
        abort(403)
    form = _form(practice)
    if request.method == "GET":
        seen = editing.as_seen_by(current_user, practice_data(practice))
        editing.fill_form(form, seen, practice.head_revision_id)
    return _handle(form, practice)


@bp.post("/preview")
@login_required
def preview() -> Any:
    """The body rendered exactly as the published page renders it (JSON for the editor's script)."""
    if not can(current_user, Action.CREATE_PRACTICE):
        abort(403)
    text = request.form.get("body", "")[:200_000]
    return jsonify(html=str(render(text, link_resolver(current_user))))


@bp.get("/suggest/tags")
@login_required
def suggest_tags() -> Any:
    return jsonify(editing.suggest_tags(current_user, request.args.get("q", "")[:80]))


@bp.get("/suggest/practices")
@login_required
def suggest_practices() -> Any:
    return jsonify(editing.suggest_practices(current_user, request.args.get("q", "")[:120]))


@bp.post("/<slug>/status")
@login_required
def change_status(slug: str) -> Any:
    practice = visible_or_404(slug)
    form = TransitionForm()
    step = request.form.get("transition", "")
    if step not in {t.value for t in Transition} or not form.validate_on_submit():
        abort(400)
    try:
        transition(current_user, practice, step, form.comment.data or "")
    except InvalidTransition:
        flash(
            _("This step is not possible now (a review comment is needed to send a practice back)."), "error"
        )
        return redirect(url_for("practices.detail", slug=practice.slug))
    db.session.commit()
    flash(_("Status changed to “%(status)s”.", status=_status_label(practice)), "success")
    if step in (Transition.APPROVE, Transition.SEND_BACK) and request.form.get("next") == "review":
        return redirect(url_for("review.index"))
    return redirect(url_for("practices.detail", slug=practice.slug))


@bp.post("/<slug>/confirm")
@login_required
def confirm(slug: str) -> Any:
    practice = visible_or_404(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        confirm_still_valid(current_user, practice)
    except InvalidTransition:
        abort(400)
    db.session.commit()
    flash(
        _("Confirmed as still valid. Next review: %(date)s", date=format_date(practice.review_due)), "success"
    )
    return redirect(
        (request.form.get("next") == "due"
        and url_for("review.due"))
        or url_for("practices.detail", slug=practice.slug)
    )


@bp.get("/<slug>/diff")
def diff(slug: str) -> Any:
    practice = visible_or_404(slug)
    revisions = visible_revisions(current_user, practice)
    old, new = (_visible(revisions, request.args.get(name, type=int)) for name in ("from", "to"))
    return render_template(
        "practices/diff.html",
        practice=practice,
        old=old,
        new=new,
        diff=diff_data(
            revision_meta(current_user, old), old.body, revision_meta(current_user, new), new.body
        ),
        revisions=list(reversed(revisions)),
    )


@bp.post("/<slug>/restore/<int:number>")
@login_required
def restore(slug: str, number: int) -> Any:
    practice = visible_or_404(slug)
    revision = _revision(practice, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changed = restore_revision(
        current_user, practice, revision, _("Restored version %(number)d", number=number)
    )
    db.session.commit()
    flash(
        _("Version %(number)d restored as a new version.", number=number)
        if changed
        else _("Nothing to restore: the current version is the same."),
        "success",
    )
    return redirect(url_for("practices.history", slug=practice.slug))


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str) -> Any:
    practice = visible_or_404(slug)
    if not can(current_user, Action.DELETE_PRACTICE, practice):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        if form.confirm.data:
            title = practice.title
            delete_practice(current_user, practice)
            db.session.commit()
            flash(_("“%(title)s” was deleted for good.", title=title), "success")
            return redirect(url_for("practices.index"))
        form.confirm.errors = [_("Please confirm the deletion.")]
    return render_template("practices/delete.html", practice=practice, form=form), 422 if form.errors else 200


@bp.post("/<slug>/experiences")
@login_required
def add_report(slug: str) -> Any:
    practice = visible_or_404(slug)
    form = _experience_form()
    if form.validate_on_submit():
        try:
            add_experience(current_user, practice, _report_data(form))
        except NotPublished:
            abort(400)
        db.session.commit()
        flash(_("Thank you! Your experience report was added."), "success")
        return redirect(url_for("practices.detail", slug=practice.slug, _anchor="experiences-heading"))
    return render_template("practices/experience_edit.html", practice=practice, form=form, report=None), 422


@bp.route("/<slug>/experiences/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit_report(slug: str, report_id: int) -> Any:
    practice = visible_or_404(slug)
    report = _report(practice, report_id)
    form = _experience_form(obj=report)
    if request.method == "GET":
        form.sector.data, form.size.data, form.result.data = (
            report.sector_code,
            report.size_code,
            report.result.value,
        )
    if form.validate_on_submit():
        update_experience(current_user, report, _report_data(form))
        db.session.commit()
        flash(_("Saved"), "success")
        return redirect(url_for("practices.detail", slug=practice.slug, _anchor="experiences-heading"))
    status = 422 if form.errors else 200
    return render_template(
        "practices/experience_edit.html", practice=practice, form=form, report=report
    ), status


@bp.post("/<slug>/experiences/<int:report_id>/delete")
@login_required
def delete_report(slug: str, report_id: int) -> Any:
    practice = visible_or_404(slug)
    report = _report(practice, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    delete_experience(current_user, report)
    db.session.commit()
    flash(_("The experience report was deleted."), "success")
    return redirect(url_for("practices.detail", slug=practice.slug))


# --- helpers -------------------------------------------------------------------------------------


def _form(practice: Practice | None = None) -> PracticeForm:
    form = PracticeForm()
    centres = editing.centres_for(current_user)
    if practice is not None and practice.centre not in centres:
        centres.append(practice.centre)
    form.set_choices(centres)
    return form


def _handle(form: PracticeForm, practice: Practice | None) -> Any:
    """One editor request: show, preview, upload an image, or save (with conflict detection)."""
    action = request.form.get("action", "save")
    preview_html = None
    if request.method == "POST" and action == "preview":
        preview_html = render(form.body.data or "", link_resolver(current_user))
    elif request.method == "POST" and action == "upload":
        _upload_into(form)
    elif form.validate_on_submit():
        response = _save(form, practice)
        if response is not None:
            return response
    status = 422 if request.method == "POST" and action == "save" and form.error_count() else 200
    return _editor(form, practice, preview_html=preview_html), status


def _save(form: PracticeForm, practice: Practice | None) -> Any:
    own_slug = practice.slug if practice else None
    if not editing.check_related(form, current_user, (form.slug.data or "").strip() or own_slug):
        return None
    data = editing.data_from_form(form, practice)
    near = editing.near_duplicate_tags(data.tags)
    if near and not form.confirm_new_tags.data:
        form.tags.errors = [
            *form.tags.errors,
            *(
                _("“%(new)s” is new – did you mean the existing tag “%(existing)s”?", new=new, existing=old)
                for new, old in near.items()
            ),
        ]
        form.near_tags = near
        return None
    # Without a base revision an edit cannot prove it saw the current text: treat it as a conflict.
    base = int(form.base_revision.data) if (form.base_revision.data or "").isdigit() else 0
    try:
        if practice is None:
            practice = create_practice(current_user, data, form.message.data or "")
            if form.source_file.data:
                attach_source(current_user, practice, form.source_file.data)
        else:
            update_practice(current_user, practice, data, form.message.data or "", base_revision_id=base)
    except Conflict as conflict:
        db.session.rollback()
        return _conflict(form, conflict)
    except IntegrityError:  # a concurrent save took the same revision number first
        db.session.rollback()
        if practice is None:
            raise
        current = db.session.get_one(Practice, practice.id)
        return _conflict(form, Conflict(current, db.session.get(Revision, base), current.head))
    except SlugTaken:
        db.session.rollback()
        # the same words whoever has the address (a hidden draft, an old address, a page of the hub)
        form.slug.errors = [*form.slug.errors, _("This address is not available; please choose another.")]
        return None
    except UnknownReference:
        db.session.rollback()
        form.form_errors.append(_("Something the form names no longer exists. Please check and save again."))
        return None
    except FieldsRefused as refused:
        db.session.rollback()
        if "authors" in refused.fields:
            form.authors.errors = [
                *form.authors.errors,
                _("You may add as authors only yourself and members of the owning centre."),
            ]
        if "centre" in refused.fields:
            form.centre.errors = [*form.centre.errors, _("You may only write for your own centre.")]
        return None
    except PermissionDenied:
        db.session.rollback()
        form.centre.errors = [*form.centre.errors, _("You may only write for your own centre.")]
        return None
    db.session.commit()
    flash(_("Saved"), "success")
    return redirect(url_for("practices.detail", slug=practice.slug))


def _conflict(form: PracticeForm, conflict: Conflict) -> Any:
    """409: someone saved in between. Show what they changed; keep this author's text in the form."""
    practice = db.session.get_one(Practice, conflict.practice.id)
    head = practice.head
    base = db.session.get(Revision, conflict.base.id) if conflict.base else None
    # related practices the writer may not see stay out of both diffs, as out of the form
    theirs = None
    if base and head:
        theirs = diff_data(
            revision_meta(current_user, base), base.body, revision_meta(current_user, head), head.body
        )
    mine_data = editing.data_from_form(form, practice)
    mine = None
    if head:
        mine = diff_data(
            revision_meta(current_user, head), head.body, mine_data.revision_data(), mine_data.body
        )
    form.base_revision.data = str(practice.head_revision_id)
    html = _editor(form, practice, conflict=True, theirs=theirs, mine=mine, base=base, head=head)
    return html, 409


def _editor(form: PracticeForm, practice: Practice | None, **context: Any) -> str:
    return render_template(
        "practices/edit.html",
        form=form,
        practice=practice,
        near_tags=getattr(form, "near_tags", {}),
        **context,
    )


def _upload_into(form: PracticeForm) -> None:
    file = form.image.data
    if file is None or not getattr(file, "filename", ""):
        form.image.errors = [upload_error_message("empty")]
        return
    try:
        upload = save_image(current_user, file.read(), file.filename)
    except UploadRefused as refused:
        form.image.errors = [upload_error_message(refused.reason)]
        return
    except PermissionDenied:
        abort(403)
    snippet = markdown_for(upload, form.image_alt.data or file.filename)
    db.session.commit()
    form.body.data = ((form.body.data or "").rstrip() + "\n\n" + snippet + "\n").lstrip()
    form.image_alt.data = ""
    flash(_("Image uploaded and inserted at the end of the text."), "success")


def _revision(practice: Practice, number: int | None) -> Revision:
    if number is None:
        abort(400)
    revision = db.session.scalars(
        sa.select(Revision).where(Revision.practice_id == practice.id, Revision.number == number)
    ).one_or_none()
    if revision is None:
        abort(404)
    return revision


def _visible(revisions: list[Revision], number: int | None) -> Revision:
    """Revision ``number`` among those the reader may see, else 404 (400 without a number)."""
    if number is None:
        abort(400)
    return next((r for r in revisions if r.number == number), None) or abort(404)


def _report(practice: Practice, report_id: int) -> ExperienceReport:
    report = db.session.get(ExperienceReport, report_id)
    if report is None or report.practice_id != practice.id:
        abort(404)
    if not can(current_user, Action.EDIT_EXPERIENCE, report):
        abort(403)
    return report


def _experience_form(**kwargs: Any) -> ExperienceForm:
    form = ExperienceForm(**kwargs)
    form.set_choices(current_user, kwargs.get("obj"))
    if request.method == "GET" and not kwargs and current_user.centre_id:
        form.centre.data = current_user.centre_id
    return form


def _report_data(form: ExperienceForm) -> ReportData:
    return ReportData(
        centre_id=form.centre.data,
        sector=form.sector.data,
        size=form.size.data,
        result=form.result.data,
        date=form.date.data,
        note=form.note.data or "",
    )


def _status_label(practice: Practice) -> str:
    return label(practice.status)
