"""E-mail digests of unread notifications (``hub digest send``, run daily from cron).

Mail goes out through ``hub.mail`` (SMTP, or ``.eml`` files in ``instance/mail/`` without
``HUB_SMTP_HOST``), in each recipient's language.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from hub.extensions import db
from hub.following.operations import visible_notifications
from hub.mail import absolute, deliver, language_of, message
from hub.models import Notification, User
from hub.models._types import utcnow

PERIODS = {"daily": timedelta(hours=23), "weekly": timedelta(days=6, hours=23)}


log = logging.getLogger(__name__)


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
    with force_locale(language_of(user.language)):
        lines = [_("Hello %(name)s,", name=user.name), "", _("New and updated practices you follow:"), ""]
        for n in notifications:
            what = _("new") if n.reason == "published" else _("updated")
            lines.append(f"- {n.practice.title} ({what})")
            lines.append(f"  {absolute('/practices/' + n.practice.slug)}")
        settings = absolute("/account")
        lines += ["", _("Change what you follow and how often you get mail: %(url)s", url=settings)]
        subject = _("Praxis-Hub: %(num)d new or updated practices", num=len(notifications))
    return message(user.email, subject, "\n".join(lines))
