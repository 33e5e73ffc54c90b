"""Attachment benchmarks: text extraction of a 20-page PDF and DOCX, and upload → searchable.

    python -m bench.attachments [--runs 10]

The files ``python -m bench.search --attachments`` gives a third of a generated corpus come from
``bench.corpus.attach_corpus``.

On the demo corpus in a temporary SQLite hub: each extraction runs in the limited child process the
hub uses; "upload → searchable" is attaching a 20-page PDF with a word found nowhere else, the
commit (text extraction after it, then the index sync) until a search finds the practice by that word.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

import click
from docx import Document
from docx.enum.text import WD_BREAK
from flask_migrate import upgrade

from bench.corpus import bench_app
from bench.search import _pct
from hub.attachments.extract import extract_file
from hub.attachments.files import DOCX, PDF
from hub.attachments.operations import add_attachment
from hub.exchange.importer import import_folder
from hub.extensions import db
from tests.factories import make_practice, user
from tests.sample_files import pdf
from tests.search_helpers import run, slugs

SENTENCE = (
    "Die Beratung im Zukunftszentrum begleitete den Betrieb bei der Einführung digitaler Werkzeuge, "
    "von der Zeiterfassung über die Schichtplanung bis zur Weiterbildung der Beschäftigten. "
)


def _pdf_pages(pages: int, marker: str = "") -> bytes:
    return pdf(*(f"Seite {n} {marker} " + SENTENCE * 2 for n in range(1, pages + 1)))


def _docx_pages(pages: int) -> bytes:
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
