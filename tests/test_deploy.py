"""The production files under deploy/ (issue 17 item 6) are valid: the systemd units pass
``systemd-analyze verify`` without a single warning, the nginx server block passes ``nginx -t``.
``make test`` installs nginx; a missing tool fails the test rather than skipping it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PROJECT

DEPLOY = PROJECT / "deploy"
UNITS = ["praxis-hub.service", "praxis-hub-scheduler.service"]
INSTALLED_BIN = "/opt/praxis-hub/venv/bin/"


def _units_here(tmp_path: Path) -> list[Path]:
    """The units with their programs pointing at this environment's (verify wants them to exist)."""
    paths = []
    for name in UNITS:
        text = (DEPLOY / name).read_text("utf-8")
        assert INSTALLED_BIN in text, name
        path = tmp_path / name
        path.write_text(text.replace(INSTALLED_BIN, f"{Path(sys.executable).parent}/"), "utf-8")
        paths.append(path)
    return paths


def test_systemd_units_verify_cleanly(tmp_path):
    units = _units_here(tmp_path)
    for unit in units:  # the structure, checked everywhere
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read(unit)
        assert {"Unit", "Service", "Install"} <= set(parser.sections()), unit.name
        assert parser["Service"]["ExecStart"].startswith("/") and parser["Service"]["EnvironmentFile"]
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return  # no systemd here: the structural check above is what can be done
    result = subprocess.run(
        [tool, "verify", "--man=no", *map(str, units)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stderr


def test_gunicorn_unit_serves_the_packaged_entry_points():
    unit = (DEPLOY / "praxis-hub.service").read_text("utf-8")
    assert "--config python:hub.gunicorn_conf hub.wsgi:app" in unit
    assert "hub schedule" in (DEPLOY / "praxis-hub-scheduler.service").read_text("utf-8")


def test_nginx_server_block_passes_nginx_t(tmp_path):
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    if not Path(nginx).exists() or openssl is None:
        pytest.fail("nginx and openssl are needed: `make test` installs nginx (apt-get install nginx-light)")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        capture_output=True, check=True, timeout=60,
    )
    site = (DEPLOY / "nginx.conf").read_text("utf-8")
    site = site.replace("/etc/letsencrypt/live/praxis-hub.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/praxis-hub.example.org/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site, "utf-8")
    temp = " ".join(f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ access_log off; {temp} include {tmp_path / 'site.conf'}; }}\n",
        "utf-8",
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "main.conf")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
    assert "[warn]" not in result.stderr, result.stderr
