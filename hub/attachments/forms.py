"""Forms of the attachment page and the German/English messages for refused files."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from hub.attachments.operations import MAX_NOTE, MAX_TITLE, max_file_bytes, max_per_practice, max_total_bytes

MB = 1024 * 1024


class AttachmentForm(FlaskForm):
    """Attach a file: the file, an optional title (default: its name) and an optional note."""

    file = FileField(_l("File (PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or image)"))
    title = StringField(_l("Title (optional)"), validators=[Length(max=MAX_TITLE)])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=MAX_NOTE)])


class DescribeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=MAX_TITLE)])
    note = TextAreaField(_l("Note"), validators=[Length(max=MAX_NOTE)])


def refusal_message(reason: str) -> str:
    """Why a file was not attached, in the reader's language."""
    return {
        "empty": _("Please choose a file."),
        "too-large": _("The file is larger than %(mb)d MB.", mb=max_file_bytes() // MB),
        "too-many": _("A practice carries at most %(n)d files.", n=max_per_practice()),
        "practice-full": _(
            "All files of a practice together may have at most %(mb)d MB.", mb=max_total_bytes() // MB
        ),
        "duplicate": _("This file is already attached to the practice."),
        "unsupported": _(
            "Only PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS, ODP), "
            "CSV, text files and PNG, JPEG or WebP images can be attached; this file is none of them."
        ),
        "macros": _("Files with macros (such as .docm or .xlsm) cannot be attached. Save it without macros."),
        "markup": _("HTML, SVG and XML files cannot be attached, whatever their name."),
        "damaged": _("The file is damaged or incomplete and cannot be recognised."),
        "zip-bomb": _("The file would unpack to far more data than any document holds; it was refused."),
        "not-a-text-document": _("Only Word (.docx) and OpenDocument text (.odt) files can be taken over."),
        "unreadable-document": _("The document cannot be read (damaged or password-protected)."),
    }.get(reason, _("The file could not be attached."))
