"""Serving uploaded images (with their stored type and ``nosniff``) and the upload endpoint for JS."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required

from hub.extensions import db
from hub.models import Upload
from hub.uploads.forms import upload_error_message
from hub.uploads.operations import NAME_RE, UploadRefused, markdown_for, save_image, upload_dir, url_path

bp = Blueprint("uploads", __name__)


@bp.get("/uploads/<name>")
def serve(name: str) -> Any:
    if not NAME_RE.match(name):
        abort(404)
    upload = db.session.scalars(sa.select(Upload).where(Upload.name == name)).one_or_none()
    if upload is None:
        abort(404)
    path = upload_dir() / upload.name
    if not path.is_file():
        abort(404)
    response = current_app.response_class(path.read_bytes(), mimetype=upload.content_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.post("/uploads")
@login_required
def upload() -> Any:
    """JSON answer for the editor's script: ``{url, markdown}`` or ``{error}`` (German)."""

    file = request.files.get("image")
    if file is None or not file.filename:
        return jsonify(error=upload_error_message("empty")), 400
    try:
        saved = save_image(current_user, file.read(), file.filename)
    except UploadRefused as refused:
        return jsonify(error=upload_error_message(refused.reason)), 400
    alt = request.form.get("alt") or file.filename
    markdown = markdown_for(saved, alt)
    db.session.commit()
    return jsonify(url=url_path(saved), markdown=markdown)
