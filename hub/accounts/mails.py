"""The mails of the account lifecycle, sent after the commit that made their link valid
(subscribed to ``hub.events``), in the recipient's language, through ``hub.mail``."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from hub import events, mail
from hub.auth.oidc import configured, password_login, provider_name
from hub.models import Invitation, User
from hub.vocabulary import label

log = logging.getLogger(__name__)


def subscribe() -> None:
    events.password_reset_requested.connect(_on_reset_requested)
    events.invitation_sent.connect(_on_invitation_sent)


def _on_reset_requested(user: User, *, token: str, **_: Any) -> None:
    deliver_soon(reset_message(user, token))


def deliver_soon(message: mail.EmailMessage) -> None:
    """Hand ``message`` to the SMTP server in a thread of its own, so the answer to "forgot password"
    takes no longer for an address with an account than for one without (no timing oracle). Without
    SMTP the ``.eml`` file is written at once: that takes no measurable time."""
    if not current_app.config["SMTP_HOST"]:
        mail.deliver(message)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy

    def send() -> None:
        with app.app_context():
            try:
                mail.deliver(message)
            except Exception:  # a thread has no caller to tell: log it
                log.exception("password-reset mail to %s could not be sent", message["To"])

    threading.Thread(target=send, name="reset-mail", daemon=True).start()


def _on_invitation_sent(invitation: Invitation, *, token: str, **_: Any) -> None:
    mail.deliver(invitation_message(invitation, token))


def reset_message(user: User | None, token: str) -> mail.EmailMessage:
    """The "choose a new password" mail (``None``: composed for an unknown address, never sent)."""
    link = mail.absolute(url_for("accounts.reset", token=token))
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    with force_locale(mail.language_of(user.language if user else None)):
        body = "\n".join(
            [
                _("Hello %(name)s,", name=user.name if user else ""),
                "",
                _("someone asked to set a new password for your Praxis-Hub account “%(username)s”.",
                  username=user.username if user else ""),
                _("To choose a new password, open this link within %(num)d minutes:", num=minutes),
                "",
                link,
                "",
                _("The link works once. If you did not ask for it, ignore this mail: your password stays."),
            ]
        )
        subject = _("Praxis-Hub: set a new password")
    return mail.message(user.email if user else "nobody@invalid", subject, body)


def invitation_message(invitation: Invitation, token: str) -> mail.EmailMessage:
    link = mail.absolute(url_for("accounts.join", token=token))
    inviter = invitation.invited_by.display_name if invitation.invited_by else "Praxis-Hub"
    with force_locale(mail.language_of(invitation.language)):
        where = f" – {invitation.centre.name}" if invitation.centre else ""
        body = "\n".join(
            [
                _("Hello,"),
                "",
                _("%(inviter)s invites you to the Praxis-Hub of the Zukunftszentren as %(role)s%(where)s.",
                  inviter=inviter, role=str(label(invitation.role)), where=where),
                _join_step(int(current_app.config["INVITATION_DAYS"])),
                "",
                link,
                "",
                _("The link works once. If you do not want to join, ignore this mail."),
            ]
        )
        subject = _("Invitation to the Praxis-Hub")
    return mail.message(invitation.email, subject, body)


def _join_step(days: int) -> str:
    """What the invitee does at the link; with single sign-on only there is no password to choose."""
    if password_login():
        return _("To join, open this link within %(num)d days and choose your name and password:", num=days)
    return _("To join, open this link within %(num)d days and choose your name; you then sign in with "
             "%(provider)s under this address:", num=days,
             provider=provider_name() if configured() else _("single sign-on"))
