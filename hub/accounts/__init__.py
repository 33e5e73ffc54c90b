"""A person's own account: the account page, own password, password reset and invitations by mail."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Reset and invitation mails subscribe to their events (signals are process-wide: once is enough)."""
    from hub.accounts.mails import subscribe

    subscribe()
