"""The .eml files the hub writes without SMTP (``hub.mail``), read back as a test's mailbox."""

from __future__ import annotations

import re
import shutil
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import Flask


def folder(app: Flask) -> Path:
    return Path(app.instance_path) / "mail"


def empty(app: Flask) -> None:
    shutil.rmtree(folder(app), ignore_errors=True)


def mails_to(app: Flask | Path, address: str) -> list[EmailMessage]:
    """The mails to ``address``, oldest first, of an app (or in a mail folder)."""
    where = app if isinstance(app, Path) else folder(app)
    files = sorted(where.glob("*.eml")) if where.exists() else []
    parsed = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    return [m for m in parsed if m["To"] == address]


def link_in(mail: EmailMessage, path_start: str) -> str:
    """The path of the first link in the mail that starts with ``path_start``."""
    body = mail.get_body().get_content()
    found = re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S+)", body)
    assert found, body
    return found.group(1)
