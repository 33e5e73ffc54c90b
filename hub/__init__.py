"""Praxis-Hub: the knowledge-sharing hub of the Zukunftszentren."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from hub import settings as default_settings

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults from ``hub/settings.py``, ``HUB_*`` environment, then ``config``."""
    settings = default_settings.settings()
    settings.update(config or {})
    default_settings.resolve_paths(settings)
    app = Flask(__name__, instance_path=str(settings["INSTANCE_DIR"]))
    app.config.update(settings)
    _derive_flask_settings(app)

    # At the top, importing any one hub module would load every package with its views and forms
    # (hub.attachments.readers: 1,616 modules instead of 849, twice the CPU time).
    from hub import (  # noqa: PLC0415 - speed, see above
        accounts,
        attachments,
        events,
        extensions,
        following,
        health,
        logging_setup,
        metrics,
        schedule,
        search,
        transport,
        web,
    )

    logging_setup.init_app(app)
    extensions.init_app(app)
    events.init_app(app)
    following.init_app(app)
    attachments.init_app(app)
    web.init_app(app)
    accounts.init_app(app)  # after the login's idle check: its before-request hook asks who is logged in
    health.init_app(app)
    metrics.init_app(app)
    schedule.init_app(app)
    search.init_app(app)
    transport.init_app(app)
    return app


def _derive_flask_settings(app: Flask) -> None:
    """Translate hub settings into the names Flask and its extensions read."""
    cfg = app.config
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"]
    if str(cfg["DATABASE_URL"]).startswith("postgresql://"):
        cfg["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + cfg["DATABASE_URL"].split("://", 1)[1]
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_SECURE"] = cfg["SESSION_COOKIE_SECURE"]
    cfg["REMEMBER_COOKIE_DURATION"] = timedelta(days=min(30, int(cfg["SESSION_MAX_DAYS"])))
    if cfg["SESSION_COOKIE_SECURE"]:  # the session cookie gets its __Host- prefix in hub.auth.sessions
        cfg["REMEMBER_COOKIE_NAME"] = "__Host-remember_token"
    if cfg["SESSION_COOKIE_SECURE"]:
        cfg["PREFERRED_URL_SCHEME"] = "https"
    cfg["BABEL_DEFAULT_LOCALE"] = cfg["DEFAULT_LOCALE"]
    cfg["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session: no lost form input
    # a request may carry the largest attachment plus the rest of its form
    cfg["MAX_CONTENT_LENGTH"] = max(16, int(float(cfg["ATTACHMENT_MAX_MB"])) + 1) * 1024 * 1024


def _instance_secret(instance: Path) -> str:
    """A key generated once per installation, so every worker and restart signs alike.

    The key is written to a file of its own that only the owner can read (created so, never
    widened by the umask) and then linked into place: the file appears complete or not at all, and
    of workers starting together exactly one wins; the others read the winner's key."""
    path = instance / "secret_key"
    if not path.exists():
        draft = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32))
                file.flush()
                os.fsync(file.fileno())
            os.link(draft, path)
        except FileExistsError:
            pass  # another worker was first: its key counts
        finally:
            draft.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it (a new key is made) or set HUB_SECRET_KEY")
    return key
