"""Seeded generator of a realistic German corpus: ``python -m bench.corpus --size 5000 --workdir DIR``.

Loads the demo taxonomy, centres and users (content/), then adds ``size`` practices with full
metadata (sectors, sizes, topics, tags, outcome, visibility, status, authors, Markdown body) built
from German domain vocabulary. The same seed gives the same corpus.

Two profiles: ``short`` (default, ≈ 75 words of body from ten stock sentences) and ``realistic``
(≈ 600 words of body as real write-ups have: six sections whose sentences combine a wider domain
vocabulary, so the index sees many distinct terms and positions). The command line writes a SQLite
hub into ``--workdir`` without building the index, so ``hub index rebuild`` and ``hub export`` /
``hub import`` can be timed on it as an operator runs them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

SUBJECTS = [
    "Schichtplanung", "Tourenplanung", "E-Rechnung", "Zeiterfassung", "Onlineshop", "Terminbuchung",
    "Wissensmanagement", "Datenschutz-Schulung", "KI-Assistent", "Chatbot", "Warenwirtschaft",
    "Kundenverwaltung", "Baustellendokumentation", "Lernplattform", "Videokonferenz", "Cloud-Telefonie",
    "Dienstplangestaltung", "Qualitätsprüfung", "Ideenmanagement", "Mikrolernen", "Sensorik",
    "Direktvermarktung", "Social-Media-Recruiting", "Spracheingabe", "Kompetenzmatrix", "IT-Sicherheit",
]
PLACES = [
    "Bäckerei", "Pflegedienst", "Tischlerei", "Spedition", "Arztpraxis", "Hotel", "Steuerbüro",
    "Friseursalon",
    "Handwerksbetrieb", "Ingenieurbüro", "Gärtnerei", "Buchhandlung", "Fahrradladen", "Metallbau", "Museum",
    "Gebäudereinigung", "Versicherungsmakler", "Hofladen", "Druckerei", "Autowerkstatt",
]
VERBS = ["einführen", "umstellen", "verbessern", "gemeinsam gestalten", "erproben", "neu denken"]
SENTENCES = [
    "Die Beschäftigten wurden von Anfang an beteiligt und haben die Anforderungen selbst formuliert.",
    "Nach drei Monaten zeigte sich, dass die Schulungen wichtiger waren als die Software.",
    "Der Betriebsrat hat eine Vereinbarung zu Datenschutz und Leistungskontrolle abgeschlossen.",
    "Die Kosten lagen unter dem Budget, der Aufwand für die Einarbeitung wurde unterschätzt.",
    "Kleine und mittlere Unternehmen profitieren besonders, wenn die Lösung schrittweise eingeführt wird.",
    "Die Geschäftsführung hat sich Zeit genommen, um Rückfragen der Mitarbeitenden zu beantworten.",
    "Ein Pilot in einer Abteilung hat geholfen, Fehler früh zu erkennen und zu beheben.",
    "Die Kundinnen und Kunden nutzen das neue Angebot vor allem abends und am Wochenende.",
    "Ohne klare Zuständigkeiten wäre das Projekt nach wenigen Wochen eingeschlafen.",
    "Die Auswertung der Daten erfolgte monatlich in einer kurzen Teambesprechung.",
]


# The realistic profile: sentences built from templates and a wider vocabulary (≈ 600 words of body).
ACTORS = [
    "die Inhaberin", "der Meister", "die Praxismanagerin", "das Team im Büro", "die Auszubildenden",
    "die Pflegedienstleitung", "der Küchenchef", "die Steuerfachangestellten", "der Betriebsrat",
    "die Disponentin", "die Filialleitung", "der Hofnachfolger", "die Beraterin des Zentrums",
]
TOOLS = [
    "ein Tablet", "eine Cloud-Ablage", "ein digitales Kassenbuch", "eine Zeiterfassungs-App",
    "ein gemeinsamer Kalender", "ein Messenger für Teams", "ein Ticketsystem", "ein Dokumentenscanner",
    "eine Wissensdatenbank", "ein Sprachmodell", "ein Warenwirtschaftssystem", "ein Onlineshop",
    "eine Lernplattform", "ein Sensor im Kühlraum", "eine Routenplanung", "ein Kundenportal",
]
TASKS = [
    "Angebote schreiben", "Rechnungen prüfen", "Dienstpläne abstimmen", "Material bestellen",
    "Touren planen", "Belege sammeln", "Termine vergeben", "Reklamationen bearbeiten",
    "Neue einarbeiten", "Lagerbestände zählen", "Wartungen dokumentieren", "Förderanträge vorbereiten",
    "Arbeitszeiten erfassen", "Kundschaft informieren", "Hygienepläne führen", "Preise kalkulieren",
]
PROBLEMS = [
    "Zettelwirtschaft", "doppelte Erfassung", "Medienbrüche", "fehlende Vertretungsregeln",
    "lange Suchzeiten", "Rückfragen am Telefon", "Überstunden am Monatsende", "verlorene Unterlagen",
    "Fachkräftemangel", "Unsicherheit beim Datenschutz", "veraltete Software", "hohe Fehlerquote",
]
TEMPLATES = [
    "Vorher bedeutete {task} vor allem {problem}, und {actor} verbrachte damit jede Woche mehrere Stunden.",
    "Gemeinsam mit den Beschäftigten entschied {actor}, {tool} zunächst nur für {task} zu erproben.",
    "Nach einigen Wochen zeigte sich, dass {tool} beim {task_noun} spürbar Zeit spart.",
    "{actor_cap} erklärte in einer kurzen Runde, warum {problem} künftig vermieden werden soll.",
    "Für {task} gibt es jetzt eine Checkliste, die {actor} mit dem Team regelmäßig überarbeitet.",
    "Wichtig war, dass {tool} ohne lange Schulung verständlich ist und auch unterwegs funktioniert.",
    "Die Kosten für {tool} lagen im Rahmen, der Aufwand für die Einführung wurde anfangs unterschätzt.",
    "Als Ursache für {problem} nannten die Mitarbeitenden vor allem unklare Zuständigkeiten.",
    "Heute übernimmt {actor} das {task_noun} in einem Bruchteil der früheren Zeit.",
    "Andere Betriebe der Region haben das Vorgehen übernommen und berichten von ähnlichen Erfahrungen.",
]
SECTIONS = ("Ausgangslage", "Ziel", "Vorgehen", "Ergebnis", "Lehren", "Übertragbarkeit")


def realistic_body(rng: random.Random, subject: str, place: str) -> str:
    """About 600 words of Markdown: six sections of templated sentences plus stock sentences."""
    parts = []
    for heading in SECTIONS:
        sentences = [f"In der {place} ging es um {subject}."]
        for template in rng.sample(TEMPLATES, 5):
            task = rng.choice(TASKS)
            actor = rng.choice(ACTORS)
            sentences.append(template.format(
                task=task, task_noun=task.split()[-1].capitalize() + " der " + task.split()[0],
                problem=rng.choice(PROBLEMS), actor=actor, actor_cap=actor[0].upper() + actor[1:],
                tool=rng.choice(TOOLS)))
        sentences += rng.sample(SENTENCES, 2)
        parts.append(f"## {heading}\n\n" + " ".join(sentences))
    return "\n\n".join(parts)


def generate(size: int, seed: int = 42, profile: str = "short") -> None:
    """Add ``size`` practices to the database of the current app (taxonomy must be loaded).

    ``profile`` is ``short`` (≈ 75 words of body) or ``realistic`` (≈ 600 words of body)."""
    from hub.extensions import db
    from hub.models import (
        Centre,
        CompanySize,
        Practice,
        Sector,
        Tag,
        Topic,
        User,
        practice_authors,
        practice_sectors,
        practice_sizes,
        practice_tags,
        practice_topics,
    )

    rng = random.Random(seed)
    centres = db.session.scalars(sa.select(Centre)).all()
    sectors = [s.code for s in db.session.scalars(sa.select(Sector))]
    sizes = [s.code for s in db.session.scalars(sa.select(CompanySize))]
    topics = [t.id for t in db.session.scalars(sa.select(Topic))]
    tags = [t.id for t in db.session.scalars(sa.select(Tag))]
    users = [u.id for u in db.session.scalars(sa.select(User))]
    start = (db.session.scalar(sa.select(sa.func.max(Practice.id))) or 0) + 1
    batch = 1000
    with click.progressbar(length=size, label="Generating") as bar:
        for offset in range(0, size, batch):
            rows, links = [], {"s": [], "z": [], "t": [], "g": [], "a": []}
            for pid in range(start + offset, start + min(offset + batch, size)):
                subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
                title = f"{subject} in der {place} {rng.choice(VERBS)} ({pid})"
                if profile == "realistic":
                    body = realistic_body(rng, subject, place)
                else:
                    body = "\n\n".join(
                        f"## {heading}\n\n" + " ".join(rng.sample(SENTENCES, 4))
                        for heading in ("Ausgangslage", "Vorgehen", "Ergebnis", "Lehren")
                    )
                status = rng.choices(["published", "draft", "review", "archived"], [85, 6, 4, 5])[0]
                rows.append({
                    "id": pid, "slug": f"bench-{pid}", "title": title, "kind": rng.choice(
                        ["case-study", "best-practice", "method", "lesson-learned"]),
                    "centre_id": rng.choice(centres).id,
                    "summary": f"Wie eine {place} {subject} eingeführt hat. " + rng.choice(SENTENCES),
                    "body": body, "visibility": rng.choices(["public", "internal"], [80, 20])[0],
                    "status": status, "published": date(2020, 1, 1) + timedelta(days=rng.randrange(2000)),
                    "outcome_result": rng.choice(["worked", "partly", "failed", None]),
                })
                links["s"] += [{"practice_id": pid, "sector_code": c} for c in rng.sample(sectors, 2)]
                links["z"] += [{"practice_id": pid, "size_code": c} for c in rng.sample(sizes, 2)]
                links["t"] += [{"practice_id": pid, "topic_id": c} for c in rng.sample(topics, 3)]
                links["g"] += [{"practice_id": pid, "tag_id": c} for c in rng.sample(tags, 5)]
                links["a"] += [{"practice_id": pid, "user_id": rng.choice(users)}]
            db.session.execute(sa.insert(Practice), rows)
            for table, key in ((practice_sectors, "s"), (practice_sizes, "z"), (practice_topics, "t"),
                               (practice_tags, "g"), (practice_authors, "a")):
                db.session.execute(sa.insert(table), links[key])
            db.session.commit()
            bar.update(len(rows))


def prepare_hub(
    app: Any, size: int, seed: int, *, reuse_index: bool, procs: int = 2, attachments: bool = False
) -> tuple[int, float | None]:
    """Migrate; on an empty database load the demo content and ``size`` generated practices (with
    ``attachments``, a third of them with two files each: ``bench.attachments.attach_corpus``); build
    the index unless ``reuse_index`` and the index is current. Returns (practices, rebuild seconds)."""
    import time
    from pathlib import Path

    from flask_migrate import upgrade

    from hub.exchange.importer import import_folder
    from hub.extensions import db
    from hub.models import Practice
    from hub.search.sync import get_index

    with app.app_context():
        upgrade()
        if not db.session.scalar(db.select(db.func.count(Practice.id))):
            import_folder(Path(app.config["CONTENT_DIR"]))
            first = (db.session.scalar(db.select(db.func.max(Practice.id))) or 0) + 1
            generate(size, seed)
            if attachments:
                from bench.attachments import attach_corpus

                chosen = sorted(random.Random(seed).sample(range(first, first + size), round(size / 3)))
                made = attach_corpus(app, chosen, seed=seed)
                click.echo(
                    f"attachments: {made['files']} files on {len(chosen)} practices, {made['distinct']} "
                    f"distinct (≈ {made['chars']:.0f} chars of text each, states {made['states']}); written "
                    f"in {made['made_s']:.1f} s, extracted in {made['extract_s']:.1f} s, rows in "
                    f"{made['insert_s']:.1f} s"
                )
        total = db.session.scalar(db.select(db.func.count(Practice.id)))
        index = get_index(app)
        seconds = None
        if not reuse_index or index.doc_count() == 0 or index.outdated():
            started = time.perf_counter()
            with db.session.no_autoflush:
                index.rebuild(db.session, procs=procs)
            seconds = time.perf_counter() - started
        db.session.rollback()
        index.apply_pending(db.session)
    return total, seconds


@click.command()
@click.option("--size", default=5_000, show_default=True, help="Generated practices (plus the demo corpus).")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--profile", type=click.Choice(["short", "realistic"]), default="realistic", show_default=True)
@click.option("--seed", default=42, show_default=True)
def main(size: int, workdir: Path, profile: str, seed: int) -> None:
    """Write a SQLite hub (demo content + SIZE generated practices) into WORKDIR, index not built.

    Then, e.g.: ``HUB_DATABASE_URL=sqlite:///WORKDIR/bench.sqlite3 HUB_INDEX_DIR=WORKDIR/index
    hub index rebuild``."""
    from flask_migrate import upgrade

    from bench.search import bench_app
    from hub.exchange.importer import import_folder

    workdir, app = bench_app(workdir)
    with app.app_context():
        upgrade()
        import_folder(Path(app.config["CONTENT_DIR"]))
        generate(size, seed, profile)
    click.echo(f"database: {workdir / 'bench.sqlite3'}")


if __name__ == "__main__":
    main()
