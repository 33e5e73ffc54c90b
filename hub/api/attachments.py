"""REST API v1 — a practice's attached files: list them, attach one (multipart/form-data).

The same checks as the attachment page (``hub.attachments.operations``): type by content, limits,
macros and markup refused; the same visibility (a hidden practice is a 404 problem).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from hub.api.problems import problem
from hub.api.v1 import bp, visible_practice
from hub.attachments.files import AttachmentRefused
from hub.attachments.forms import refusal_message
from hub.attachments.operations import MAX_NOTE, MAX_TITLE, add_attachment
from hub.auth.permissions import Action, can
from hub.extensions import db
from hub.models import Attachment, Practice


def attachment_json(practice: Practice, attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "title": attachment.title,
        "name": attachment.file_name,
        "note": attachment.note,
        "type": attachment.content_type,
        "size": attachment.size,
        "text": attachment.text_state,
        "uploaded": attachment.created_at.isoformat(),
        "url": url_for(
            "attachments.download",
            slug=practice.slug,
            attachment_id=attachment.id,
            name=attachment.file_name,
            _external=True,
        ),
    }


@bp.get("/practices/<slug>/attachments")
def attachments(slug: str) -> Response:
    item = visible_practice(slug)
    if isinstance(item, Response):
        return item
    return jsonify({"results": [attachment_json(item, a) for a in item.attachments]})


@bp.post("/practices/<slug>/attachments")
def attach(slug: str) -> Response:
    item = visible_practice(slug)
    if isinstance(item, Response):
        return item
    if not can(current_user, Action.EDIT_PRACTICE, item):
        return problem(403, "You may not change this practice.")
    file = request.files.get("file")
    title, note = request.form.get("title", ""), request.form.get("note", "")
    errors: dict[str, list[str]] = {}
    if file is None or not file.filename:
        errors["file"] = ["send the file as the multipart field “file” (with a file name)"]
    if len(title) > MAX_TITLE:
        errors["title"] = [f"at most {MAX_TITLE} characters"]
    if len(note) > MAX_NOTE:
        errors["note"] = [f"at most {MAX_NOTE} characters"]
    if errors or file is None:
        return problem(422, "The file was not attached.", errors=errors)
    try:
        attachment = add_attachment(current_user, item, file.read(), file.filename or "", title, note)
    except AttachmentRefused as refused:
        db.session.rollback()
        return problem(422, refusal_message(refused.reason), errors={"file": [refused.reason]})
    db.session.commit()
    practice = db.session.get(Practice, item.id)
    saved = db.session.get(Attachment, attachment.id) or attachment
    response = jsonify(attachment_json(practice or item, saved))
    response.status_code = 201
    return response
