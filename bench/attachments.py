"""Attachment benchmarks: text extraction of a 20-page PDF and DOCX, and upload → searchable.

    python -m bench.attachments [--runs 10]

``attach_corpus`` (used by ``python -m bench.search --attachments``) gives a third of a generated
corpus two files each (a PDF and a DOCX report of a few pages), whose text carries words the
practices' own text never has (``ATTACHMENT_TERMS``), so ``ATTACHMENT_QUERIES`` find them only there.

On the demo corpus in a temporary SQLite hub: each extraction runs in the limited child process the
hub uses; "upload → searchable" is attaching a 20-page PDF with a word found nowhere else, the
commit (text extraction after it, then the index sync) until a search finds the practice by that word.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from bench.search import _pct, bench_app
from tests.sample_files import pdf

SENTENCE = (
    "Die Beratung im Zukunftszentrum begleitete den Betrieb bei der Einführung digitaler Werkzeuge, "
    "von der Zeiterfassung über die Schichtplanung bis zur Weiterbildung der Beschäftigten. "
)


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
    from bench.corpus import ACTORS, PLACES, PROBLEMS, SENTENCES, SUBJECTS, TASKS, TOOLS, realistic_body

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
    import io

    from docx import Document
    from docx.enum.text import WD_BREAK

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
    from hub.attachments.extract import extract_file
    from hub.attachments.files import DOCX, PDF
    from hub.attachments.operations import store
    from hub.extensions import db
    from hub.models import Attachment

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


def _pdf_pages(pages: int, marker: str = "") -> bytes:
    return pdf(*(f"Seite {n} {marker} " + SENTENCE * 2 for n in range(1, pages + 1)))


def _docx_pages(pages: int) -> bytes:
    import io

    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for n in range(1, pages + 1):
        document.add_heading(f"Abschnitt {n}", level=2)
        for _ in range(6):
            document.add_paragraph(SENTENCE * 3)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@click.command()
@click.option("--runs", default=10, show_default=True)
def main(runs: int) -> None:
    from flask_migrate import upgrade

    from hub.attachments.extract import extract_file
    from hub.attachments.files import DOCX, PDF
    from hub.attachments.operations import add_attachment
    from hub.exchange.importer import import_folder
    from hub.extensions import db
    from tests.factories import make_practice, user
    from tests.search_helpers import run, slugs

    workdir, app = bench_app(None)
    app.config.update(UPLOAD_DIR=str(workdir / "uploads"), ATTACHMENT_EXTRACT_IN_BACKGROUND=False)
    with app.app_context():
        upgrade()
        import_folder(Path(app.root_path).parent / "content")
    files = {"PDF": (_pdf_pages(20), PDF), "DOCX": (_docx_pages(20), DOCX)}
    with app.test_request_context():
        for label, (content, content_type) in files.items():
            path = workdir / f"sample-{label}"
            path.write_bytes(content)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                result = extract_file(path, content_type)
                times.append((time.perf_counter() - started) * 1000)
            median = statistics.median(times)
            click.echo(
                f"extract 20-page {label} ({len(content) // 1024} KB, {len(result.text or '')} chars, "
                f"{result.state}): {_pct(times)}; {20 / (median / 1000):.0f} pages/s"
            )
        searchable = []
        actor = user("tbauer")
        for n in range(runs):
            practice = make_practice(actor)
            marker = f"Messwort{n}x{int(time.time())}"
            started = time.perf_counter()
            add_attachment(actor, practice, _pdf_pages(20, marker), f"bericht-{n}.pdf")
            db.session.commit()  # extraction and the index sync follow the commit
            while practice.slug not in slugs(run(marker.lower())):
                time.sleep(0.01)
            searchable.append((time.perf_counter() - started) * 1000)
        click.echo(f"upload → searchable (20-page PDF): {_pct(searchable)}")


if __name__ == "__main__":
    main()
