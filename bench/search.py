"""Search benchmarks: ``python -m bench.search --size 50000 [--workdir DIR] [--procs 2]``.

Prints: rebuild docs/s; query p50/p95/max over a fixed list of German queries for plain top-10,
top-10 + facets, top-10 + facets + highlights; the same through the JSON API (warm app);
publish-to-searchable latency; index size; process RSS. Only talks to a local SQLite file.
With ``--attachments`` a third of the generated practices carry two files (``bench.corpus.attach_corpus``),
and the queries found only in those files are measured too. The API rows give wall and CPU time
(``time.process_time``: this process, all its threads) per request and the load average.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from bench.corpus import ATTACHMENT_QUERIES, bench_app, prepare_hub
from hub.extensions import db
from hub.models import Practice, User
from hub.practices.operations import practice_data, update_practice
from hub.search.searching import SearchRequest, search
from hub.search.sync import get_index

QUERIES = [
    "Schichtplanung", "Schulungen", "Buero", "Pruefung", "planung", "Betrieben", "KI", "DSGVO",
    "Künstliche Intelligenz", "Sprachmodell", "Datenshutz", "Tourenplanug", '"mobiles Arbeiten"',
    "Chatbot -Hotel", "Hofladen OR Bäckerei", "E-Rechnung Handwerk", "Zeiterfassung", "Onlineshop",
    "Terminbuchung Friseur", "Wissensmanagement", "Kundenverwaltung", "Warenwirtschaft", "Lernplattform",
    "Videokonferenz", "Beschäftigte beteiligt", "Betriebsrat Vereinbarung", "Kosten Budget", "Pilot",
    "Spedition", "Pflegedienst", "Tischlerei Angebot", "Sensorik", "Direktvermarktung", "Recruiting",
    "Spracheingabe", "Kompetenzmatrix", "IT-Sicherheit", "Qualitätsprüfung", "Ideenmanagement",
    "Mikrolernen", "Gebäudereinigung", "Autowerkstatt Cloud",
]
# Issue 16: questions and long queries few practices match in full (partial matches by coverage) …
PARTIAL_QUERIES = [
    "wie kann ich meine Beschäftigten bei der Schichtplanung beteiligen",
    "was tun wenn die Kosten für die Software über dem Budget liegen",
    "wie bekomme ich den Betriebsrat dazu, der Zeiterfassung zuzustimmen",
    "gibt es eine Lernplattform für Auszubildende in der Bäckerei",
    "Schichtplanung Pflegedienst Betriebsrat Vereinbarung Tablet Wochenende Kosten",
    "Tourenplanung Spedition Disponentin Cloud Kalender Pilot Auswertung Monatsabschluss",
    "Onlineshop Hofladen Direktvermarktung Kassenbuch Steuerbüro Messenger Kundinnen",
    "E-Rechnung Handwerksbetrieb Dokumentenscanner Ablage Steuerfachangestellte Fristen",
    "Chatbot Hotel Rezeption Wochenende Anfragen Datenschutz Schulung Zufriedenheit",
    "KI-Assistent Arztpraxis Terminbuchung Telefon Praxismanagerin Datenschutz",
]
# … and compounds typed in the query whose parts stand apart in the text (decompounding).
COMPOUND_QUERIES = [
    "Schichtplanungsschulung", "Tourenplanungsbudget", "Bäckereischulungen", "Pflegedienstkalender",
    "Betriebsratsvereinbarungen", "Werkstattkassenbuch", "Hofladenkassensystem", "Kundenverwaltungspilot",
    "Teambesprechungsprotokoll", "Spracheingabeschulung", "Ideenmanagementbudget", "Gärtnereikalender",
]


def _pct(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"p50 {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   max {values[-1]:7.1f} ms"


def _timed(fn: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def _cpu_seconds() -> float:
    """CPU seconds of this process and its ended children (rebuild workers, text readers)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def _api_never_asked(client: Any, index: Any, queries: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of each query through the API, none of them asked before: the result cache,
    the compound splits and the typo variants are cleared before every request."""
    walls, cpus = [], []
    for q in queries:
        index.caches.results.clear()
        index.caches.splits.clear()
        index.caches.variants.clear()
        cpu = time.process_time()
        walls.append(_timed(client.get, "/api/v1/search", query_string={"q": q, "per_page": 10}))
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def _cpu(values: list[float]) -> str:
    values = sorted(values)
    return f"cpu p50 {statistics.median(values):6.1f} p95 {values[round(0.95 * (len(values) - 1))]:6.1f} ms"


@click.command()
@click.option("--size", default=50_000, show_default=True, help="Practices in the generated corpus.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--procs", default=2, show_default=True, help="Processes for the rebuild.")
@click.option("--seed", default=42, show_default=True)
@click.option("--reuse-index", is_flag=True, help="Measure on the workdir's index as it is (no rebuild).")
@click.option("--attachments", is_flag=True, help="A third of the generated practices carry a PDF and DOCX.")
def main(
    size: int, workdir: Path | None, procs: int, seed: int, reuse_index: bool, attachments: bool
) -> None:
    workdir, app = bench_app(workdir)
    app.config["UPLOAD_DIR"] = str(workdir / "uploads")
    click.echo(f"start: {_load()}")
    cpu = _cpu_seconds()
    total, seconds = prepare_hub(
        app, size, seed, reuse_index=reuse_index, procs=procs, attachments=attachments
    )
    cpu = _cpu_seconds() - cpu
    click.echo(f"corpus: {total} practices ({workdir}); preparing it took {cpu:.1f} CPU-s; {_load()}")
    if seconds is not None:
        click.echo(f"rebuild: {total} docs in {seconds:.1f} s = {total / seconds:.0f} docs/s ({procs} procs)")
    index = get_index(app)
    with app.app_context():
        started = time.perf_counter()
        search(index, db.session, None, SearchRequest(q="Pilot", per_page=10))
        click.echo(f"first search after start (caches cold): {(time.perf_counter() - started) * 1000:.0f} ms")

    with app.test_request_context():
        coordinator = db.session.scalars(db.select(User).where(User.username == "jlehmann")).one()
        modes = {
            "top-10": {"facets": False, "highlight": False},
            "top-10 + facets": {"facets": True, "highlight": False},
            "top-10 + facets + highlights": {"facets": True, "highlight": True},
        }
        for q in QUERIES:  # warm up: searcher, per-field arrays, caches
            search(index, db.session, coordinator, SearchRequest(q=q, per_page=10))
        for label, options in modes.items():
            times = []
            for q in QUERIES:
                index.caches.results.clear()  # the engine, not the result cache
                times.append(_timed(search, index, db.session, coordinator, SearchRequest(q=q, per_page=10),
                                    **options))
            click.echo(f"{label:<32} {_pct(times)}")

    client = app.test_client()
    for q in QUERIES:
        client.get("/api/v1/search", query_string={"q": q, "per_page": 10})
    times, cpus = [], []
    for q in QUERIES:
        index.caches.results.clear()
        cpu = time.process_time()
        times.append(_timed(client.get, "/api/v1/search", query_string={"q": q, "per_page": 10}))
        cpus.append((time.process_time() - cpu) * 1000)
    click.echo(f"{'API (anonymous, facets+snippets)':<32} {_pct(times)}   {_cpu(cpus)}")
    for q in QUERIES:  # asked once more: now from the result cache
        client.get("/api/v1/search", query_string={"q": q, "per_page": 10})
    times = [_timed(client.get, "/api/v1/search", query_string={"q": q, "per_page": 10}) for q in QUERIES]
    click.echo(f"{'API, repeated (result cache)':<32} {_pct(times)}")
    query_sets = [("API partial (questions, multi)", PARTIAL_QUERIES),
                  ("API compounds in the query", COMPOUND_QUERIES)]
    if attachments:
        query_sets += [("API words only in attachments", ATTACHMENT_QUERIES)]
    for label, queries in query_sets:
        times, cpus = _api_never_asked(client, index, queries)
        asked = [client.get("/api/v1/search", query_string={"q": q, "per_page": 10}) for q in queries]
        found = [response.get_json() for response in asked]
        partial = sum(1 for data in found if data["match"] == "partial")
        empty = sum(1 for data in found if not data["total"])
        in_files = sum(1 for data in found for hit in data["results"] if hit["matched_file"])
        hits = sum(len(data["results"]) for data in found)
        click.echo(f"{label:<32} {_pct(times)}   {_cpu(cpus)}   ({partial} partial, {empty} empty of "
                   f"{len(queries)}; {in_files} of {hits} hits matched in a file)")
    click.echo(f"after the API rounds: {_load()}")

    with app.test_request_context():
        admin = db.session.scalars(db.select(User).where(User.username == "admin")).one()
        latencies, after_write = [], []
        for i in range(20):
            practice = db.session.get(Practice, 100 + i)
            word = f"Benchmarkwort{i}x"
            started = time.perf_counter()
            data = replace(practice_data(practice), title=f"{practice.title} {word}")
            update_practice(None, practice, data)
            db.session.commit()  # the after-commit hook applies the outbox row
            found = search(index, db.session, admin, SearchRequest(q=word, statuses=["published", "archived",
                           "draft", "review"]), facets=False)
            latencies.append((time.perf_counter() - started) * 1000)
            assert found.total >= 1
            query = QUERIES[i % len(QUERIES)]
            after_write.append(_timed(search, index, db.session, None, SearchRequest(q=query, per_page=10)))
        click.echo(f"{'publish-to-searchable':<32} {_pct(latencies)}")
        click.echo(f"{'next search after a write':<32} {_pct(after_write)}")
        click.echo(f"segments right after the writes: {index.segment_count()} {index.segment_sizes()}")
        started = time.perf_counter()
        time.sleep(0.1)  # the background merge starts once writes have been quiet for a second
        while (index._waiting or index._merging.locked()) and time.perf_counter() - started < 120:
            time.sleep(0.1)
        merged_in = time.perf_counter() - started
        click.echo(f"segments after the background merge: {index.segment_count()} ({merged_in:.1f} s later)")

    size_mb = sum(p.stat().st_size for p in index.folder().glob("*")) / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"index size: {size_mb:.1f} MB   peak RSS of this process: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
