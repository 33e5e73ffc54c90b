"""Installed like a package (issue 17 item 2): the wheel built from this tree, installed into a fresh
virtualenv, gives a working ``hub`` — the schema on PostgreSQL with ``hub db upgrade``, the demo
corpus with ``hub init --demo`` — and ``gunicorn hub.wsgi:app`` answers /readyz with 200 and
/metrics (multiprocess) for its token. Its data lives in the instance folder below the environment's
``var/``, never in site-packages; ``config`` and ``wsgi`` are not installed as top-level modules."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support import PROJECT, create_postgres_schema, postgres_unavailable, postgres_unreachable_reason

pytestmark = pytest.mark.slow


def _run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - a local URL
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a local URL
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel of this tree (dependencies from the configured index)."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", PROJECT, timeout=180)
    (wheel,) = (tmp / "dist").glob("praxis_hub-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hub/wsgi.py" in names and "hub/demo_content/users.yml" in names
    assert "hub/translations/de/LC_MESSAGES/messages.mo" in names
    assert not {"config.py", "wsgi.py"} & set(names)  # no top-level modules that could collide
    _run(sys.executable, "-m", "venv", tmp / "venv")
    _run(tmp / "venv" / "bin" / "pip", "install", "-q", wheel, timeout=300)
    return tmp / "venv"


@pytest.fixture
def database() -> str:
    reason = postgres_unreachable_reason()
    if reason:
        postgres_unavailable(reason)
    url, drop = create_postgres_schema()
    yield url
    drop()


def _env(venv: Path, **settings: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "PROMETHEUS_"))}
    return keep | {"PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)} | settings


def test_the_wheel_installs_a_working_hub_served_by_gunicorn(installed, database, tmp_path):
    env = _env(installed, HUB_DATABASE_URL=database, HUB_METRICS_TOKEN="scrape-me")
    hub = installed / "bin" / "hub"
    _run(hub, "db", "upgrade", env=env)
    loaded = _run(hub, "init", "--demo", env=env)
    assert "Demo corpus loaded" in loaded
    instance = installed / "var" / "praxis-hub-instance"  # Flask's default for an installed package
    assert (instance / "secret_key").exists() and (instance / "search_index").is_dir()
    site_packages = next((installed / "lib").glob("python3*/site-packages"))
    assert not (site_packages / "hub" / "instance").exists() and not (site_packages / "config.py").exists()

    port = _free_port()
    env |= {"HUB_BIND": f"127.0.0.1:{port}", "HUB_WORKERS": "2"}
    server = subprocess.Popen(
        [installed / "bin" / "gunicorn", "--config", "python:hub.gunicorn_conf", "hub.wsgi:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        status, body = 0, ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status != 200:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                time.sleep(0.3)
        assert status == 200, body
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "schema": "ok", "search_index": "ok", "outbox": "ok"},
        }
        for _ in range(6):  # spread over both workers
            assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        status, metrics = _get(f"http://127.0.0.1:{port}/metrics", {"Authorization": "Bearer scrape-me"})
        assert status == 200
        healthz = [line for line in metrics.splitlines() if 'endpoint="health.healthz"' in line]
        assert healthz and float(healthz[0].split()[-1]) == 6.0  # the workers' counts added up
        assert _get(f"http://127.0.0.1:{port}/practices/")[0] == 200
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)
    assert "GET /readyz 200" in errors  # the hub's own log lines reach stderr
    assert (instance / "prometheus").is_dir()
