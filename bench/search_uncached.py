"""Uncached search latency on a prepared hub: ``python -m bench.search_uncached --workdir DIR``.

The workdir is one ``bench.search`` made (its SQLite file and index, reused as they are). Through
the JSON API (anonymous: facets, snippets, visibility), each query never asked before — the result
cache, compound splits, typo variants and word families are cleared before every request — for the
standard, partial and compound query sets of ``bench.search``, ``--rounds`` times each. Prints wall
and CPU (``time.process_time``) p50/p95 per set and the load average. With ``--profile FILE`` the
requests run under cProfile and the statistics go to FILE (one per set: FILE.standard, …).
"""

from __future__ import annotations

import cProfile
import os
import statistics
import time
from pathlib import Path
from typing import Any

import click

from bench.corpus import bench_app
from bench.search import COMPOUND_QUERIES, PARTIAL_QUERIES, QUERIES
from hub.search.sync import get_index


def _p(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def _clear(index: Any) -> None:
    caches = index.caches
    caches.results.clear()
    caches.splits.clear()
    caches.variants.clear()
    caches.families.clear()


@click.command()
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--rounds", default=3, show_default=True)
@click.option("--profile", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--only", type=click.Choice(["standard", "partial", "compound"]), multiple=True)
def main(workdir: Path, rounds: int, profile: Path | None, only: tuple[str, ...]) -> None:
    _, app = bench_app(workdir)
    index = get_index(app)
    client = app.test_client()
    click.echo(f"{index.doc_count()} documents; start: load average {os.getloadavg()}")
    for q in QUERIES:  # warm: searcher, field arrays, the standard words' postings
        client.get("/api/v1/search", query_string={"q": q, "per_page": 10})
    sets = {"standard": QUERIES, "partial": PARTIAL_QUERIES, "compound": COMPOUND_QUERIES}
    for name, queries in sets.items():
        if only and name not in only:
            continue
        profiler = cProfile.Profile() if profile else None
        walls, cpus, partial = [], [], 0
        for _ in range(rounds):
            for q in queries:
                _clear(index)
                cpu, started = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                response = client.get("/api/v1/search", query_string={"q": q, "per_page": 10})
                if profiler:
                    profiler.disable()
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                partial += response.get_json()["match"] == "partial"
        if profiler:
            profiler.dump_stats(f"{profile}.{name}")
        click.echo(
            f"{name:<9} {rounds} × {len(queries):>2}: wall p50 {statistics.median(walls):6.1f} p95 "
            f"{_p(walls, 0.95):6.1f} max {max(walls):6.1f} ms   cpu p50 {statistics.median(cpus):6.1f} "
            f"p95 {_p(cpus, 0.95):6.1f} ms   ({partial // rounds} partial)   load average {os.getloadavg()}"
        )


if __name__ == "__main__":
    main()
