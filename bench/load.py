"""Load benchmark: ``python -m bench.load [--size 2000] [--workdir DIR] [--duration 15]``.

Prepares a hub (SQLite file in ``--workdir``: demo content + ``--size`` generated practices from
``bench/corpus.py``, search index rebuilt), starts gunicorn (2 workers, 127.0.0.1, a free port) on
it and runs ``wrk`` (16 connections) first against a static asset of the app (``/static/hub.css``),
then against the search page for a rotation of German queries (``bench.search.QUERIES``). Prints
requests/s of both, their ratio (target (e): the search page reaches ≥ 1/10 of the static page)
and the resident memory of each gunicorn worker afterwards. Needs ``wrk`` (Debian: ``apt-get
install wrk``). Not part of the test suite; no timing is asserted anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import click

from bench.corpus import prepare_hub
from bench.search import QUERIES
from hub import create_app
from hub.extensions import db

PROJECT = Path(__file__).resolve().parents[1]
STATIC_PATH = "/static/hub.css"
WORKERS = 2
SECTORS = "ABCDEFGHIJKLMNOPQRSTU"  # WZ 2008 sections
LUA = """-- rotate through the search paths (each wrk thread has its own counter)
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def prepare(workdir: Path, size: int, seed: int, reuse_index: bool = False) -> dict[str, str]:
    """A hub with the demo corpus plus ``size`` generated practices and a fresh index; its settings."""
    settings = {
        "DATABASE_URL": f"sqlite:///{workdir / 'load.sqlite3'}",
        "INDEX_DIR": str(workdir / "index"),
        "INSTANCE_DIR": str(workdir / "instance"),
        "UPLOAD_DIR": str(workdir / "instance" / "uploads"),
        "SECRET_KEY": "bench-load",
        "SEARCH_ANONYMOUS_PER_MINUTE": "0",  # the load comes from one address on purpose
    }
    app = create_app({**settings, "SEARCH_SYNC_ON_START": False})
    total, _seconds = prepare_hub(app, size, seed, reuse_index=reuse_index)
    with app.app_context():
        db.engine.dispose()
    click.echo(f"hub: {total} practices in {workdir}")
    return settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(settings: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **{f"HUB_{name}": value for name, value in settings.items()}}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
               "--error-logfile", str(log), "wsgi:app"]
    quiet = subprocess.DEVNULL
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=quiet, stderr=quiet)


def wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise click.ClickException("gunicorn exited at start; see its log in the workdir")
        try:
            with urllib.request.urlopen(base + STATIC_PATH, timeout=2) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise click.ClickException(f"gunicorn did not answer within {timeout:.0f} s")


def warm_up(base: str, paths: list[str]) -> None:
    """Every query a few times, so both workers have opened their searcher and filled their caches."""
    for _ in range(3):
        for path in paths:
            with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310 - our server
                response.read()


def run_wrk(url: str, connections: int, duration: int, script: Path | None = None) -> tuple[float, str]:
    command = ["wrk", "-t", str(WORKERS), "-c", str(connections), "-d", f"{duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise click.ClickException(f"no Requests/sec in wrk's output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        click.echo(f"  warning: {errors.group(1)} responses were not 2xx/3xx")
    return float(found.group(1)), output


def worker_rss_mb(master: int) -> dict[int, tuple[float, float]]:
    """Resident memory of each child of the gunicorn master, from /proc: (VmRSS, RssAnon) in MB.

    VmRSS includes the index files whoosh maps into memory (shared page cache); RssAnon is the
    worker's own memory.
    """
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    rss: dict[int, tuple[float, float]] = {}
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        total = re.search(r"VmRSS:\s+(\d+) kB", status)
        anon = re.search(r"RssAnon:\s+(\d+) kB", status)
        if total and anon:
            rss[pid] = (int(total.group(1)) / 1024, int(anon.group(1)) / 1024)
    return rss


def _lua(path: Path, paths: list[str]) -> Path:
    path.write_text(LUA % ", ".join(f'"{p}"' for p in paths), "utf-8")
    return path


def _latency(output: str) -> str:
    latency = re.search(r"50%\s+(\S+).*?99%\s+(\S+)", output, re.S)
    return f"   (latency p50 {latency.group(1)}, p99 {latency.group(2)})" if latency else ""


def _ratio(name: str, searched: float, static: float) -> None:
    if not static or not searched:
        click.echo(f"ratio {name}: no requests measured")
        return
    ratio = searched / static
    verdict = "met" if ratio >= 0.1 else "not met"
    click.echo(f"ratio {name}: {ratio:.3f} = 1/{1 / ratio:.1f} (target ≥ 1/10: {verdict})")


@click.command()
@click.option("--size", default=2_000, show_default=True, help="Generated practices (plus the demo corpus).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--duration", default=15, show_default=True, help="Seconds per wrk run.")
@click.option("--connections", default=16, show_default=True)
@click.option("--seed", default=42, show_default=True)
@click.option("--reuse-index", is_flag=True, help="Keep the workdir's index if it is current (no rebuild).")
def main(
    size: int, workdir: Path | None, duration: int, connections: int, seed: int, reuse_index: bool
) -> None:
    if shutil.which("wrk") is None:
        raise click.ClickException("wrk is missing: install it with `apt-get install wrk` (Debian package)")
    workdir = workdir or Path(tempfile.mkdtemp(prefix="hub-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = prepare(workdir, size, seed, reuse_index)
    paths = [f"/search?q={quote(q)}" for q in QUERIES]
    script = _lua(workdir / "search.lua", paths)
    # Every query with every sector filter, both sort orders: more distinct searches than the
    # result cache holds, asked in a cycle, so each one is searched afresh.
    fresh = [f"{p}&sector={code}{sort}" for p in paths for code in SECTORS for sort in ("", "&sort=newest")]
    fresh_script = _lua(workdir / "search-fresh.lua", fresh)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(settings, port, workdir / "gunicorn.log")
    try:
        wait_until_up(base, server)
        warm_up(base, paths)
        click.echo(f"gunicorn: {WORKERS} workers on {base}; wrk: {connections} connections, {duration} s")
        static, _ = run_wrk(base + STATIC_PATH, connections, duration)
        click.echo(f"static page ({STATIC_PATH}):{static:>12,.1f} req/s")
        searched, output = run_wrk(base + "/search", connections, duration, script)
        click.echo(f"search page ({len(paths)} queries):{searched:>9,.1f} req/s{_latency(output)}")
        _ratio("search/static", searched, static)
        uncached, output = run_wrk(base + "/search", connections, duration, fresh_script)
        click.echo(f"search page, never cached ({len(fresh)} searches):{uncached:>9,.1f} req/s"
                   + _latency(output))
        _ratio("never cached/static", uncached, static)
        for pid, (total, anon) in sorted(worker_rss_mb(server.pid).items()):
            click.echo(f"worker {pid}: RSS {total:.0f} MB (own {anon:.0f} MB, the rest mapped index files)")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
