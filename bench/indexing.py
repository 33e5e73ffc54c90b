"""Indexing and import as an operator runs them, on write-ups of realistic length (issue 16):

    python -m bench.indexing --size 10000 --workdir DIR [--steps corpus,rebuild,export,import]

``corpus`` writes DIR/bench.sqlite3 (``bench.corpus``, profile ``realistic``: ≈ 600 words of body);
``rebuild`` runs ``hub index rebuild`` on it (default options); ``export`` writes DIR/folder with
``hub export``; ``import`` runs ``hub import DIR/folder`` into a new, migrated, empty database
DIR/imported.sqlite3 (the import builds the index at its end). Each command is a child process:
the script reports its wall time, its CPU time (user + system, its worker processes included), the
rate per wall second and per CPU second (processes it leaves behind, such as a fork server and its
workers, are waited for and counted too), the peak RSS of its process tree and of the command's own
process (both sampled every 0.2 s) and of its largest process, and the load average before and
after — on a shared machine the per-CPU-second rate is the fairer figure.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

PR_SET_CHILD_SUBREAPER = 36  # Linux prctl: orphaned descendants are re-parented to this process

STEPS = ("corpus", "rebuild", "export", "import")


def _tree_rss(pid: int) -> tuple[int, int]:
    """Resident memory of ``pid`` and its descendants, and of ``pid`` alone, in bytes (Linux /proc)."""
    total, own, todo = 0, 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                rss = int(statm.read().split()[1]) * page
            total += rss
            own = rss if current == pid else own
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total, own


def _become_subreaper() -> bool:
    """Make processes the command leaves behind (a multiprocessing fork server and the workers it
    started, which the command never waits for) this script's children, so their CPU time counts."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans() -> tuple[float, int]:
    """Wait for every remaining descendant; their CPU seconds and largest peak RSS (KiB)."""
    cpu, largest = 0.0, 0
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return cpu, largest
        cpu += usage.ru_utime + usage.ru_stime
        largest = max(largest, usage.ru_maxrss)


def run(command: list[str], env: dict[str, str], label: str, count: int | None = None) -> dict[str, float]:
    """Run ``command``; print and return wall, CPU, rates, peak RSS and the load average."""
    _become_subreaper()
    load_before = os.getloadavg()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0, 0]  # the tree, the command's own process
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            tree, own = _tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], tree), max(peak[1], own)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    orphan_cpu, orphan_rss = _reap_orphans()
    done.set()
    sampler.join()
    output = process.stdout.read().decode() if process.stdout else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise click.ClickException(f"{' '.join(command)} failed ({process.returncode}): {output[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime + orphan_cpu
    load_after = os.getloadavg()
    figures = {"wall": wall, "cpu": cpu, "tree_rss_mb": peak[0] / 1e6, "main_rss_mb": peak[1] / 1e6,
               "max_rss_mb": max(usage.ru_maxrss, orphan_rss) / 1024}
    line = f"{label}: wall {wall:.1f} s, CPU {cpu:.1f} s ({cpu / wall:.2f} cores)"
    if count:
        line += f", {count / wall:.1f}/s wall, {count / cpu:.1f}/CPU-s"
    tree, main, largest = figures["tree_rss_mb"], figures["main_rss_mb"], figures["max_rss_mb"]
    line += f", peak RSS tree {tree:.0f} MB (main process {main:.0f} MB, largest process {largest:.0f} MB)"
    line += f", load {load_before[0]:.1f} → {load_after[0]:.1f} (1 min), {load_after[1]:.1f} (5 min)"
    click.echo(line)
    for last in output.strip().splitlines()[-1:]:
        click.echo(f"  {last}")
    return figures


def _practices(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM practices").fetchone()[0]


@click.command()
@click.option("--size", default=10_000, show_default=True, help="Generated practices (plus the demo corpus).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--steps", default=",".join(STEPS), show_default=True, help="Which steps, comma-separated.")
@click.option("--seed", default=42, show_default=True)
def main(size: int, workdir: Path, steps: str, seed: int) -> None:
    wanted = [step.strip() for step in steps.split(",") if step.strip()]
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    hub = str(Path(sys.executable).with_name("hub"))
    database, folder = workdir / "bench.sqlite3", workdir / "folder"
    base = {**os.environ, "HUB_SECRET_KEY": "bench", "HUB_SEARCH_SYNC_ON_START": "0",
            "HUB_UPLOAD_DIR": str(workdir / "uploads")}
    env = {**base, "HUB_DATABASE_URL": f"sqlite:///{database}", "HUB_INDEX_DIR": str(workdir / "index")}
    click.echo(f"machine: {os.cpu_count()} CPUs; load average now {os.getloadavg()}")
    if "corpus" in wanted and not database.exists():
        command = [sys.executable, "-m", "bench.corpus", "--size", str(size), "--workdir", str(workdir),
                   "--profile", "realistic", "--seed", str(seed)]
        run(command, env, "corpus (generate)")
    count = _practices(database) if database.exists() else size
    if "rebuild" in wanted:
        run([hub, "index", "rebuild"], env, f"hub index rebuild ({count} practices)", count)
    if "export" in wanted:
        shutil.rmtree(folder, ignore_errors=True)
        run([hub, "export", str(folder)], env, "hub export", count)
    if "import" in wanted:
        imported = workdir / "imported.sqlite3"
        for stale in (imported, workdir / "imported-index"):
            if stale.is_dir():
                shutil.rmtree(stale)
            elif stale.exists():
                stale.unlink()
        target = {**base, "HUB_DATABASE_URL": f"sqlite:///{imported}",
                  "HUB_INDEX_DIR": str(workdir / "imported-index")}
        subprocess.run([hub, "db", "upgrade"], env=target, check=True, capture_output=True)
        run([hub, "import", str(folder)], target, f"hub import ({count} practices, incl. indexing)", count)
        click.echo(f"  imported: {_practices(imported)} practices")


if __name__ == "__main__":
    main()
