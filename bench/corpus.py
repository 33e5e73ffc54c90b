"""Seeded generator of a realistic German corpus: ``python -m bench.corpus --size 5000 --workdir DIR``.

Loads the demo taxonomy, centres and users (content/), then adds ``size`` practices with full
metadata (sectors, sizes, topics, tags, outcome, visibility, status, authors, Markdown body) built
from German domain vocabulary. The same seed gives the same corpus.

Two profiles: ``short`` (default, ≈ 75 words of body from ten stock sentences) and ``realistic``
(≈ 600 words of body as real write-ups have: six sections whose sentences combine a wider domain
vocabulary, so the index sees many distinct terms and positions). The command line writes a SQLite
hub into ``--workdir`` without building the index, so ``hub index rebuild`` and ``hub export`` /
``hub import`` can be timed on it as an operator runs them.

``attach_corpus`` (``prepare_hub(..., attachments=True)``, i.e. ``python -m bench.search
--attachments``) gives a third of a generated corpus two files each (a PDF and a DOCX report of a few
pages), whose text carries words the practices' own text never has (``ATTACHMENT_TERMS``), so
``ATTACHMENT_QUERIES`` find them only there. ``bench_app`` is the hub every benchmark runs on: a
SQLite file and an index in a work folder.
"""

from __future__ import annotations

import hashlib
import io
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_BREAK
from flask_migrate import upgrade

from hub import create_app
from hub.attachments.extract import extract_file
from hub.attachments.files import DOCX, PDF
from hub.attachments.operations import store
from hub.exchange.importer import import_folder
from hub.extensions import db
from hub.models import (
    Attachment,
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
from hub.search.sync import get_index
from tests.sample_files import pdf

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


# Words of checklists, audits and reports: in no generated practice and no demo write-up.
ATTACHMENT_TERMS = [
    "Gefährdungsbeurteilung", "Lieferantenbewertung", "Inventurdifferenzen", "Reifeneinlagerung",
    "Kühlkettenprotokoll", "Fördermittelbescheid", "Verfahrensdokumentation", "Aufbewahrungsfristen",
    "Rüstzeitenanalyse", "Mahnwesen", "Wareneingangskontrolle", "Reinigungsintervalle",
    "Betriebsanweisung", "Notfallkontakte", "Eskalationsstufen", "Prüfprotokoll", "Ersthelferausbildung",
]
ATTACHMENT_SENTENCES = [
    "Die {term} wurde gemeinsam mit {actor} überarbeitet und liegt jetzt neben {tool}.",
    "Im Anhang steht die {term} als Vorlage, die andere Betriebe übernehmen können.",
    "Für die {term} gilt eine Frist von vier Wochen; {actor} prüft sie bei jedem Quartalsgespräch.",
    "Ohne {term} wären {problem} im Audit aufgefallen, sagte {actor}.",
    "Die Tabelle zur {term} zeigt, wer wann {task} muss und wer vertritt.",
]
# Queries whose words only the attached files carry (one, two or three of them; inflected forms).
ATTACHMENT_QUERIES = [
    "Gefährdungsbeurteilung", "Lieferantenbewertungen", "Inventurdifferenz", "Reifeneinlagerung",
    "Kühlkettenprotokoll Vorlage", "Fördermittelbescheid Frist",
    "Verfahrensdokumentation Aufbewahrungsfristen",
    "Rüstzeitenanalyse", "Mahnwesen Eskalationsstufen", "Wareneingangskontrolle Tabelle",
    "Reinigungsintervalle Prüfprotokoll", "Betriebsanweisung Notfallkontakte Ersthelferausbildung",
]


def report_pages(rng: random.Random, pages: int) -> list[str]:
    """``pages`` pages of a German report: the corpus's sentences plus a few attachment-only terms."""
    terms = rng.sample(ATTACHMENT_TERMS, 3)
    out = []
    for n in range(pages):
        body = realistic_body(rng, rng.choice(SUBJECTS), rng.choice(PLACES)).split("\n\n")
        prose = [part for part in body if not part.startswith("## ")][:2]
        extra = [
            rng.choice(ATTACHMENT_SENTENCES).format(
                term=terms[(n + i) % len(terms)], actor=rng.choice(ACTORS), tool=rng.choice(TOOLS),
                problem=rng.choice(PROBLEMS), task=rng.choice(TASKS))
            for i in range(2)
        ]
        out.append(" ".join([*prose, *extra, rng.choice(SENTENCES)]))
    return out


def report_docx(title: str, pages: list[str]) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    for n, text in enumerate(pages, start=1):
        document.add_heading(f"Abschnitt {n}", level=2)
        for paragraph in text.split(". "):
            document.add_paragraph(paragraph)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach_corpus(app: Any, practice_ids: list[int], *, variants: int = 40, pages: int = 4,
                  seed: int = 42) -> dict[str, float]:
    """Give each of ``practice_ids`` a PDF and a DOCX report, drawn from ``variants`` distinct files
    of each kind: stored once per content hash (``store``), the text of each distinct file extracted
    once in the hub's limited reader process (two at a time), rows inserted in bulk. Index: rebuild
    afterwards. No revisions are written (the search does not read them)."""
    rng = random.Random(seed)
    files: dict[str, list[dict[str, Any]]] = {PDF: [], DOCX: []}
    started = time.perf_counter()
    with app.app_context():
        for n in range(variants):
            for content_type, maker, ext in ((PDF, pdf, "pdf"), (DOCX, None, "docx")):
                title = f"Bericht {n + 1}" if ext == "pdf" else f"Checkliste {n + 1}"
                text = report_pages(rng, pages)
                content = pdf(*text) if maker else report_docx(title, text)
                sha256 = hashlib.sha256(content).hexdigest()
                files[content_type].append({
                    "sha256": sha256, "size": len(content), "path": store(sha256, content),
                    "file_name": f"{title.lower().replace(' ', '-')}.{ext}", "title": title,
                    "content_type": content_type,
                })
    made = time.perf_counter() - started

    def extract(entry: dict[str, Any]) -> None:
        with app.app_context():
            result = extract_file(entry["path"], entry["content_type"])
        entry["text"], entry["text_state"] = result.text, result.state

    started = time.perf_counter()
    distinct = files[PDF] + files[DOCX]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(extract, distinct))
    extracted = time.perf_counter() - started
    states = {e["text_state"] for e in distinct}
    started = time.perf_counter()
    with app.app_context():
        rows = []
        for practice_id in practice_ids:
            for position, content_type in enumerate((PDF, DOCX)):
                entry = rng.choice(files[content_type])
                kept = ("sha256", "size", "file_name", "title", "content_type", "text", "text_state")
                rows.append({key: entry[key] for key in kept}
                            | {"practice_id": practice_id, "position": position, "note": ""})
        for offset in range(0, len(rows), 1000):
            db.session.execute(sa.insert(Attachment), rows[offset : offset + 1000])
        db.session.commit()
    return {
        "files": len(rows), "distinct": len(distinct), "made_s": made, "extract_s": extracted,
        "insert_s": time.perf_counter() - started, "states": ",".join(sorted(states)),
        "chars": statistics.mean(len(e["text"] or "") for e in distinct),
    }


def bench_app(workdir: Path | None) -> tuple[Path, Any]:
    """The app on ``workdir``'s SQLite file and index (a new temporary folder without one)."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="hub-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    app = create_app({
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "INDEX_DIR": str(workdir / "index"),
        "SECRET_KEY": "bench", "SEARCH_SYNC_ON_START": False, "SEARCH_ANONYMOUS_PER_MINUTE": 0,
    })
    return workdir, app


def prepare_hub(
    app: Any, size: int, seed: int, *, reuse_index: bool, procs: int = 2, attachments: bool = False
) -> tuple[int, float | None]:
    """Migrate; on an empty database load the demo content and ``size`` generated practices (with
    ``attachments``, a third of them with two files each: ``attach_corpus``); build
    the index unless ``reuse_index`` and the index is current. Returns (practices, rebuild seconds)."""
    with app.app_context():
        upgrade()
        if not db.session.scalar(db.select(db.func.count(Practice.id))):
            import_folder(Path(app.config["CONTENT_DIR"]))
            first = (db.session.scalar(db.select(db.func.max(Practice.id))) or 0) + 1
            generate(size, seed)
            if attachments:
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
    workdir, app = bench_app(workdir)
    with app.app_context():
        upgrade()
        import_folder(Path(app.config["CONTENT_DIR"]))
        generate(size, seed, profile)
    click.echo(f"database: {workdir / 'bench.sqlite3'}")


if __name__ == "__main__":
    main()
