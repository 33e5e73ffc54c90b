"""Sending mail: the one path for digests, password resets and invitations.

Mail goes out through SMTP when ``HUB_SMTP_HOST`` is set; otherwise each message is written as an
``.eml`` file into ``instance/mail/`` so nothing is lost and it can be inspected. Messages to a
person are written in their language (``language_of``).
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from hub import counters
from hub.extensions import available_locales
from hub.models._types import utcnow

__all__ = ["EmailMessage", "absolute", "deliver", "language_of", "mail_file_name", "message"]
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def language_of(choice: str | None) -> str:
    """The language to write to someone in: their choice when the hub offers it, else the default."""
    return choice if choice in available_locales() else str(current_app.config["DEFAULT_LOCALE"])


def message(to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = current_app.config["SMTP_FROM"]
    mail["To"] = to
    mail.set_content(body)
    return mail


def absolute(path: str) -> str:
    """A link for a mail: ``BASE_URL`` + ``path``."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def mail_file_name(address: str) -> str:
    """The address as part of a file name: letters, digits, '.', '_' and '-' only (no '/' or '..'
    can lead out of the mail folder), at most 100 characters."""
    return _UNSAFE_IN_FILE_NAME.sub("_", address.replace("@", "_at_")).strip(".")[:100] or "_"


def deliver(mail: EmailMessage) -> None:
    """Hand ``mail`` to SMTP (or write it as a file); counted in the mail metrics either way."""
    try:
        _deliver(mail)
    except Exception:
        counters.mail(sent=False)
        raise
    counters.mail(sent=True)


def _deliver(mail: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}-{mail_file_name(mail['To'])}.eml").write_bytes(bytes(mail))
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        smtp.send_message(mail)
