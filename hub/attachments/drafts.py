"""Write-ups from Word (DOCX) and OpenDocument (ODT) files: a draft to complete, the original kept.

On ``/practices/new`` a contributor turns one file into the editor's content (``draft_from_file``);
the original travels with the form as a signed token (``source_token``) and is attached when the
practice is first saved (``attach_source``). ``create_draft`` does all of it at once for
``hub draft-from-files``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from hub.attachments.files import DOCX, ODT, AttachmentRefused, normalise_name, sniff
from hub.attachments.operations import add_attachment, file_path, max_file_bytes, store
from hub.attachments.word import NotConvertible, convert
from hub.auth.permissions import Action, require
from hub.models import Attachment, Centre, Practice, User
from hub.practices.data import PracticeData
from hub.practices.operations import create_practice, free_slug
from hub.uploads.operations import UploadRefused, save_image, url_path

SALT = "hub.attachments.word-source"
SUMMARY_CHARS = 400


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    file_name: str
    source: str  # signed token naming the stored original, for ``attach_source``


def draft_from_file(actor: User, content: bytes, file_name: str) -> Draft:
    """Convert a DOCX/ODT file; its images become uploads, the original is stored (not attached yet)."""
    require(actor, Action.CREATE_PRACTICE)
    if not content:
        raise AttachmentRefused("empty")
    if len(content) > max_file_bytes():
        raise AttachmentRefused("too-large")
    content_type = sniff(content, file_name)
    if content_type not in (DOCX, ODT):
        raise AttachmentRefused("not-a-text-document")

    def store_image(blob: bytes, name: str) -> str | None:
        try:
            return url_path(save_image(actor, blob, name))
        except UploadRefused:
            return None  # EMF, GIF, a huge photo …: left out of the text, still in the original

    try:
        converted = convert(content, content_type, store_image, file_name)
    except NotConvertible as error:
        raise AttachmentRefused("unreadable-document") from error
    sha256 = hashlib.sha256(content).hexdigest()
    store(sha256, content)
    name = normalise_name(file_name, content_type)
    return Draft(converted.title, converted.body, name, source_token(actor, sha256, name))


def source_token(actor: User, sha256: str, name: str) -> str:
    return _serializer().dumps([actor.id, sha256, name])


def attach_source(actor: User, practice: Practice, token: str) -> Attachment | None:
    """Attach the original a draft was made from; None for a token not issued to ``actor``."""
    try:
        user_id, sha256, name = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    path = file_path(str(sha256))
    if user_id != actor.id or not path.is_file():
        return None
    return add_attachment(actor, practice, path.read_bytes(), str(name))


def create_draft(actor: User, centre: Centre, content: bytes, file_name: str) -> Practice:
    """A draft practice (internal, metadata to be completed) from a file, the original attached."""
    draft = draft_from_file(actor, content, file_name)
    data = PracticeData(
        title=draft.title,
        slug=free_slug(draft.title),
        kind="case-study",
        centre=centre.slug,
        summary=_summary(draft.body) or draft.title,
        sectors=[],
        sizes=[],
        topics=[],
        visibility="internal",
        status="draft",
        body=draft.body,
        authors=[actor.username],
    )
    practice = create_practice(actor, data, f"Entwurf aus {draft.file_name}")
    add_attachment(actor, practice, content, file_name)
    return practice


def _summary(body: str) -> str:
    """The first paragraph of plain text (no heading, list, table or image)."""
    for block in body.split("\n\n"):
        block = block.strip()
        if block and not re.match(r"^(#|[-*] |\d+\. |\||!\[)", block):
            text = re.sub(r"[*_`\\]", "", block)
            return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] if len(text) > SUMMARY_CHARS else text
    return ""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
