"""Rate limiting of failed logins, shared by all workers through the database.

A failed login is stored as a salted hash of (account, client) with its time — never the address
itself — and forgotten once it is older than the window.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from hub.extensions import db
from hub.models import LoginAttempt
from hub.models._types import utcnow


def _key(username: str, client: str) -> str:
    salt = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{salt}|{username.strip().lower()}|{client}".encode()).hexdigest()


def _window_start():  # noqa: ANN202
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def is_blocked(username: str, client: str) -> bool:
    recent = db.session.scalar(
        sa.select(sa.func.count(LoginAttempt.id)).where(
            LoginAttempt.key == _key(username, client), LoginAttempt.at >= _window_start()
        )
    )
    return (recent or 0) >= current_app.config["LOGIN_MAX_ATTEMPTS"]


def record_failure(username: str, client: str) -> None:
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < _window_start()))
    db.session.add(LoginAttempt(key=_key(username, client)))
    db.session.commit()


def clear(username: str, client: str) -> None:
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.key == _key(username, client)))
    db.session.commit()
