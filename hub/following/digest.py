"""E-mail digests of unread notifications (``hub digest send``, run daily from cron).

Mail goes out through SMTP when ``HUB_SMTP_HOST`` is set; otherwise each message is written as an
``.eml`` file into ``instance/mail/`` so nothing is lost and it can be inspected.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from hub import metrics
from hub.extensions import db
from hub.following.operations import visible_notifications
from hub.models import Notification, User
from hub.models._types import utcnow

PERIODS = {"daily": timedelta(hours=23), "weekly": timedelta(days=6, hours=23)}


log = logging.getLogger(__name__)
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class DigestReport:
    users: int = 0
    notifications: int = 0
    delivery: str = "files"
    failed: list[str] = field(default_factory=list)  # "address: why", not sent (tried again next run)


def due_users(now: datetime) -> list[User]:
    """Users whose daily or weekly digest is due."""
    users = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.digest.in_(list(PERIODS)))
    ).all()
    return [u for u in users if u.last_digest_at is None or now - u.last_digest_at >= PERIODS[u.digest]]


def send_digests(now: datetime | None = None) -> DigestReport:
    now = now or utcnow()
    report = DigestReport(delivery="smtp" if current_app.config["SMTP_HOST"] else "files")
    for user in due_users(now):
        pending = [n for n in visible_notifications(user, unread_only=True, limit=500) if n.mailed_at is None]
        if pending:
            try:
                deliver(_message(user, pending))
            except (OSError, ValueError, smtplib.SMTPException) as error:
                # One bad address (or a mail server refusing it) must not stop everyone else's digest.
                log.warning("digest for %s not sent: %s", user.username, error)
                report.failed.append(f"{user.email!r}: {error}")
                continue
            report.users += 1
            report.notifications += len(pending)
            db.session.execute(
                sa.update(Notification)
                .where(Notification.id.in_([n.id for n in pending]))
                .values(mailed_at=now)
            )
        user.last_digest_at = now
        db.session.commit()
    return report


def _message(user: User, notifications: list[Notification]) -> EmailMessage:
    base = current_app.config["BASE_URL"].rstrip("/")
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        lines = [_("Hello %(name)s,", name=user.name), "", _("New and updated practices you follow:"), ""]
        for n in notifications:
            what = _("new") if n.reason == "published" else _("updated")
            lines.append(f"- {n.practice.title} ({what})")
            lines.append(f"  {base}/practices/{n.practice.slug}")
        lines += ["", _("Change what you follow and how often you get mail: %(url)s", url=f"{base}/profile")]
        subject = _("Praxis-Hub: %(num)d new or updated practices", num=len(notifications))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = user.email
    message.set_content("\n".join(lines))
    return message


def mail_file_name(address: str) -> str:
    """The address as part of a file name: letters, digits, '.', '_' and '-' only (no '/' or '..'
    can lead out of the mail folder), at most 100 characters."""
    return _UNSAFE_IN_FILE_NAME.sub("_", address.replace("@", "_at_")).strip(".")[:100] or "_"


def deliver(message: EmailMessage) -> None:
    """Hand ``message`` to SMTP (or write it as a file); counted in the mail metrics either way."""
    try:
        _deliver(message)
    except Exception:
        metrics.mail(sent=False)
        raise
    metrics.mail(sent=True)


def _deliver(message: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}-{mail_file_name(message['To'])}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        smtp.send_message(message)
