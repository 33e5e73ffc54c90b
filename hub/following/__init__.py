"""Following: watches, notifications (made after the commit, from domain events), digests."""

from __future__ import annotations

from flask import Flask

from hub.following.operations import subscribe


def init_app(app: Flask) -> None:
    """Notifications subscribe to the practice events (signals are process-wide: once is enough)."""
    subscribe()
