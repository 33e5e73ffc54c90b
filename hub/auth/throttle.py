"""Rate limiting of failed logins, shared by all workers through the database.

A failed login is stored as salted hashes of (account, client) and of the client alone, with its
time — never the address itself — and forgotten once it is older than the window. Logins are refused
while, within the window, there were too many failures for the account from this client
(``LOGIN_MAX_ATTEMPTS``), from this client for any accounts (``LOGIN_MAX_ATTEMPTS_PER_CLIENT``), or
in the whole hub (``LOGIN_MAX_ATTEMPTS_GLOBAL``, against guessing spread over many addresses).

Other requests that must not be repeated without limit (password-reset mails …) are counted in the
same table under their own ``purpose`` with ``allow`` / ``record``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from hub.extensions import db
from hub.models import LoginAttempt
from hub.models._types import utcnow

LOGIN = "login"


def _hash(*parts: str) -> str:
    salt = current_app.config["SECRET_KEY"]
    return hashlib.sha256("|".join((salt, *parts)).encode()).hexdigest()


def _key(username: str, client: str) -> str:
    return _hash(username.strip().lower(), client)


def _client_key(client: str) -> str:
    return _hash("client", client)


def _window_start() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def is_blocked(username: str, client: str) -> bool:
    recent = (LoginAttempt.at >= _window_start()) & (LoginAttempt.purpose == LOGIN)
    account, per_client, everyone = db.session.execute(
        sa.select(
            sa.func.count(LoginAttempt.id).filter(LoginAttempt.key == _key(username, client)),
            sa.func.count(LoginAttempt.id).filter(LoginAttempt.client_key == _client_key(client)),
            sa.func.count(LoginAttempt.id),
        ).where(recent)
    ).one()
    config = current_app.config
    return (
        account >= config["LOGIN_MAX_ATTEMPTS"]
        or per_client >= config["LOGIN_MAX_ATTEMPTS_PER_CLIENT"]
        or everyone >= config["LOGIN_MAX_ATTEMPTS_GLOBAL"]
    )


def record_failure(username: str, client: str) -> None:
    db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.at < _window_start(), LoginAttempt.purpose == LOGIN)
    )
    db.session.add(LoginAttempt(key=_key(username, client), client_key=_client_key(client), purpose=LOGIN))
    db.session.commit()


def clear(username: str, client: str) -> None:
    db.session.execute(
        sa.delete(LoginAttempt).where(
            LoginAttempt.key == _key(username, client), LoginAttempt.purpose == LOGIN
        )
    )
    db.session.commit()


def allow(
    purpose: str, subject: str, client: str, *, per_subject: int, per_client: int, seconds: int
) -> bool:
    """Whether one more ``purpose`` request for ``subject`` (an e-mail address …) from ``client`` is
    within the limits of the last ``seconds``; allowed requests are counted (committed at once)."""
    since = utcnow() - timedelta(seconds=seconds)
    key, client_key = _hash(purpose, subject.strip().lower()), _hash(purpose, "client", client)
    recent = (LoginAttempt.purpose == purpose) & (LoginAttempt.at >= since)
    for_subject, for_client = db.session.execute(
        sa.select(
            sa.func.count(LoginAttempt.id).filter(LoginAttempt.key == key),
            sa.func.count(LoginAttempt.id).filter(LoginAttempt.client_key == client_key),
        ).where(recent)
    ).one()
    if for_subject >= per_subject or for_client >= per_client:
        return False
    old = (LoginAttempt.purpose == purpose) & (LoginAttempt.at < since)
    db.session.execute(sa.delete(LoginAttempt).where(old))
    db.session.add(LoginAttempt(key=key, client_key=client_key, purpose=purpose))
    db.session.commit()
    return True
