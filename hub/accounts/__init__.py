"""A person's own account: the account page, own password, password reset and invitations by mail."""

from __future__ import annotations

from flask import Flask

from hub.accounts.mails import subscribe
from hub.accounts.second_factor_views import require_second_factor


def init_app(app: Flask) -> None:
    """Reset and invitation mails subscribe to their events (signals are process-wide: once is
    enough); accounts that need a second factor reach nothing else before it is on."""
    subscribe()
    app.before_request(require_second_factor)
