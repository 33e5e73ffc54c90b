"""gunicorn settings for the hub: ``gunicorn -c python:hub.gunicorn_conf hub.wsgi:app``.

Prometheus multiprocess mode: every worker writes its metric values into ``PROMETHEUS_MULTIPROC_DIR``
(default ``<instance>/prometheus``; values of processes that are gone are dropped when gunicorn
starts), and ``/metrics`` adds them up — including a ``hub schedule`` given the same folder.
Workers, bind address and log level come from gunicorn's usual options and ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hub.settings import resolve_paths, settings

_instance = Path(str(resolve_paths(settings())["INSTANCE_DIR"]))
METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_instance / "prometheus")))

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HUB_WORKERS", "2"))
control_socket = str(_instance / "gunicorn.ctl")  # not one shared file in $HOME for every hub
accesslog = "-"  # to stderr like the hub's own log: gunicorn and systemd collect it
errorlog = "-"
secure_scheme_headers: dict[str, str] = {}  # HTTPS behind a proxy is the hub's call (HUB_PROXIES)


def on_starting(_server: Any) -> None:
    """Drop the values of processes that are gone (an earlier run's workers); those of a running
    ``hub schedule`` sharing the folder (its mails) stay."""
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for path in METRICS_DIR.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def child_exit(_server: Any, worker: Any) -> None:
    # prometheus_client picks its value store when first imported: only after the folder is set above
    from prometheus_client import multiprocess  # noqa: PLC0415 - imported once PROMETHEUS_MULTIPROC_DIR is set

    multiprocess.mark_process_dead(worker.pid)
