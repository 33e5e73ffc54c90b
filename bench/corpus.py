"""Seeded generator of a realistic German corpus: ``python -m bench.corpus --size 50000 DB_URL``.

Loads the demo taxonomy, centres and users (content/), then adds ``size`` practices with full
metadata (sectors, sizes, topics, tags, outcome, visibility, status, authors, Markdown body) built
from German domain vocabulary. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import click
import sqlalchemy as sa

SUBJECTS = [
    "Schichtplanung", "Tourenplanung", "E-Rechnung", "Zeiterfassung", "Onlineshop", "Terminbuchung",
    "Wissensmanagement", "Datenschutz-Schulung", "KI-Assistent", "Chatbot", "Warenwirtschaft",
    "Kundenverwaltung", "Baustellendokumentation", "Lernplattform", "Videokonferenz", "Cloud-Telefonie",
    "Dienstplangestaltung", "Qualitätsprüfung", "Ideenmanagement", "Mikrolernen", "Sensorik",
    "Direktvermarktung", "Social-Media-Recruiting", "Spracheingabe", "Kompetenzmatrix", "IT-Sicherheit",
]  # fmt: skip
PLACES = [
    "Bäckerei", "Pflegedienst", "Tischlerei", "Spedition", "Arztpraxis", "Hotel", "Steuerbüro",
    "Friseursalon",
    "Handwerksbetrieb", "Ingenieurbüro", "Gärtnerei", "Buchhandlung", "Fahrradladen", "Metallbau", "Museum",
    "Gebäudereinigung", "Versicherungsmakler", "Hofladen", "Druckerei", "Autowerkstatt",
]  # fmt: skip
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
]  # fmt: skip


def generate(size: int, seed: int = 42) -> None:
    """Add ``size`` practices to the database of the current app (taxonomy must be loaded)."""
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
                })  # fmt: skip
                links["s"] += [{"practice_id": pid, "sector_code": c} for c in rng.sample(sectors, 2)]
                links["z"] += [{"practice_id": pid, "size_code": c} for c in rng.sample(sizes, 2)]
                links["t"] += [{"practice_id": pid, "topic_id": c} for c in rng.sample(topics, 3)]
                links["g"] += [{"practice_id": pid, "tag_id": c} for c in rng.sample(tags, 5)]
                links["a"] += [{"practice_id": pid, "user_id": rng.choice(users)}]
            db.session.execute(sa.insert(Practice), rows)
            for table, key in ((practice_sectors, "s"), (practice_sizes, "z"), (practice_topics, "t"),
                               (practice_tags, "g"), (practice_authors, "a")):  # fmt: skip
                db.session.execute(sa.insert(table), links[key])
            db.session.commit()
            bar.update(len(rows))


def prepare_hub(
    app: Any, size: int, seed: int, *, reuse_index: bool, procs: int = 2
) -> tuple[int, float | None]:
    """Migrate; on an empty database load the demo content and ``size`` generated practices; build
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
            generate(size, seed)
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
