"""Storing uploaded images: the type is decided by the file's content, never by its name."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import unquote

from flask import current_app

from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import Upload, User

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# content type → (file extension, magic-byte check)
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
}
NAME_RE = re.compile(r"^[a-f0-9]{32}\.(png|jpg|webp)$")


class UploadRefused(ValueError):
    """Not a PNG, JPEG or WebP image, empty, or too large. ``reason`` names which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff_image(head: bytes) -> str | None:
    """The image type the first bytes announce, or None for anything else (HTML, SVG, scripts …)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def save_image(actor: User, content: bytes, original_name: str) -> Upload:
    """Check and store an image; returns its record (``url_path`` gives the address)."""
    require(actor, Action.UPLOAD_IMAGE)
    if not content:
        raise UploadRefused("empty")
    if len(content) > max_bytes():
        raise UploadRefused("too-large")
    content_type = sniff_image(content[:16])
    if content_type is None:
        raise UploadRefused("not-an-image")
    name = secrets.token_hex(16) + IMAGE_TYPES[content_type]
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    upload = Upload(
        name=name,
        original_name=original_name[:255],
        content_type=content_type,
        size=len(content),
        uploader_id=actor.id,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def url_path(upload: Upload) -> str:
    return f"/uploads/{upload.name}"


URL_PREFIX = "/uploads/"
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL


def own_upload_url(url: str) -> str | None:
    """``/uploads/<name>`` when ``url`` points at one of our uploads as a browser reads it, else
    ``None``. Read like a browser first: surrounding spaces and control characters go, tabs and line
    breaks anywhere, a backslash is a slash (``/\\host`` is ``//host``), percent-escapes are decoded."""
    text = _URL_NOISE.sub("", url.strip("".join(map(chr, range(0x21))))).replace("\\", "/")
    for _ in range(3):  # %252e… decodes to %2e… and then to "."
        text = unquote(text)
    name = text.removeprefix(URL_PREFIX)
    return URL_PREFIX + name if text.startswith(URL_PREFIX) and NAME_RE.match(name) else None


def alt_text(original_name: str) -> str:
    """Alt text from a file name: no extension, no Markdown brackets or line breaks."""
    stem = Path(original_name.replace("\\", "/")).name.rsplit(".", 1)[0]
    text = re.sub(r"[\[\]\(\)\r\n<>`!*_\s-]+", " ", stem).strip()
    return text[:120] or "Bild"


def markdown_for(upload: Upload, alt: str) -> str:
    return f"![{alt_text(alt)}]({url_path(upload)})"


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", MAX_IMAGE_BYTES))
