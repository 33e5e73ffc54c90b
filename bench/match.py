"""Client matching on the generated corpus: ``python -m bench.match --size 50000 --workdir DIR``.

Prints p50/p95/max of ``GET /api/v1/match`` (anonymous, warm) over client profiles from broad (one
company size: a third of the corpus are candidates) to narrow (sector, size, topics, free text).
Reuses the workdir of ``bench.search`` (same database and index) when given.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from bench.corpus import bench_app, prepare_hub
from bench.search import _pct

PROFILES = [
    {"size": "solo"},
    {"sector": "C"},
    {"sector": "C", "size": "micro", "topics": "kuenstliche-intelligenz"},
    {"sector": "I", "size": "small", "q": "Online-Buchung"},
    {"sector": "Q", "size": "medium", "state": "DE-SN", "topics": "prozessdigitalisierung"},
    {"sector": "G", "q": "Onlineshop"},
    {"q": "Schichtplanung Pflegedienst"},
    {"sector": "F", "size": "small", "state": "DE-TH"},
]


@click.command()
@click.option("--size", default=50_000, show_default=True, help="Practices in the generated corpus.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--seed", default=42, show_default=True)
@click.option("--rounds", default=5, show_default=True, help="Times each profile is asked.")
def main(size: int, workdir: Path | None, seed: int, rounds: int) -> None:
    workdir, app = bench_app(workdir)
    total, _ = prepare_hub(app, size, seed, reuse_index=True)
    click.echo(f"corpus: {total} practices ({workdir})")
    client = app.test_client()
    for profile in PROFILES:  # warm up: searcher, caches, SQLite pages
        assert client.get("/api/v1/match", query_string=profile).status_code == 200
    for profile in PROFILES:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get("/api/v1/match", query_string=profile)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)
        label = " ".join(f"{k}={v}" for k, v in profile.items())
        click.echo(f"{label:<60} {_pct(times)}")


if __name__ == "__main__":
    main()
