"""One logging setup for the hub: to stderr (gunicorn and systemd collect it), text or JSON lines,
every line with the request id and, when known, the user name.

``HUB_LOG_LEVEL`` (``INFO``) and ``HUB_LOG_FORMAT`` (``text`` | ``json``). Every request gets an id:
the ``X-Request-ID`` a trusted reverse proxy (``HUB_PROXIES``) sent, else a generated one; it is
echoed in the response header so a user's report can be found in the log. Nothing secret is logged:
no request bodies, no query strings (they may carry tokens), no headers.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

LOGGER_NAME = "hub"  # the app's logger; every feature logs below it (``hub.search`` …)
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"

log = logging.getLogger("hub.requests")


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user`` to every record ("-" outside a request / when anonymous)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = "-"
        record.user = "-"
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            user = g.get("_login_user")  # only when already loaded: logging never queries the database
            if user is not None and getattr(user, "is_authenticated", False):
                record.user = user.username
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user (+ exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a line is written (a server or test runner may swap it)."""

    hub_handler: bool  # set on the hub's own handlers (make_handler)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def make_handler(fmt: str) -> logging.Handler:
    """A stderr handler with the hub's format (``text`` or ``json``) and request context."""
    if fmt not in {"text", "json"}:
        raise ValueError(f"HUB_LOG_FORMAT must be text or json, not {fmt!r}")
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestContextFilter())
    handler.hub_handler = True
    return handler


def init_app(app: Flask) -> None:
    """The ``hub`` logger as the app's settings say, and the per-request id and summary line."""
    configure_logger(app)
    trusted_proxy = int(app.config["PROXIES"]) > 0
    app.before_request(lambda: _assign_request_id(trusted_proxy))
    app.after_request(_finish_request)


def configure_logger(app: Flask) -> None:
    """One handler on the ``hub`` logger (an earlier app's is replaced): level and format from the
    settings ``LOG_LEVEL`` and ``LOG_FORMAT``."""
    logger = logging.getLogger(LOGGER_NAME)
    for old in [h for h in logger.handlers if getattr(h, "hub_handler", False) or h is default_handler]:
        logger.removeHandler(old)
    logger.addHandler(make_handler(str(app.config["LOG_FORMAT"]).lower()))
    logger.setLevel(str(app.config["LOG_LEVEL"]).upper())


def _assign_request_id(trusted_proxy: bool) -> None:
    g.request_started = time.perf_counter()
    sent = request.headers.get(REQUEST_ID_HEADER, "") if trusted_proxy else ""
    g.request_id = sent if _VALID_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def _finish_request(response: Response) -> Response:
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
        took = (time.perf_counter() - g.request_started) * 1000
        log.info("%s %s %d %.1f ms", request.method, request.path, response.status_code, took)
    return response
