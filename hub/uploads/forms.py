"""What the upload pages and the editor say when an image is refused."""

from __future__ import annotations

from flask_babel import gettext as _

from hub.uploads.operations import max_bytes


def upload_error_message(reason: str) -> str:
    return {
        "empty": _("Please choose an image file."),
        "too-large": _("The image is larger than %(mb)d MB.", mb=max_bytes() // (1024 * 1024)),
        "not-an-image": _("Only PNG, JPEG and WebP images can be uploaded; this file is none of them."),
    }.get(reason, _("The image could not be saved."))
