"""Text of an attached file — run as a child process by ``hub.attachments.extract``, never imported
by the app (it imports nothing of the hub).

    python -I readers.py PATH CONTENT_TYPE MAX_CHARS MAX_PAGES MAX_SECONDS MAX_MEMORY_MB

The process first limits its own CPU time and address space, then reads at most MAX_PAGES pages
(PDF pages, slides, sheets × rows/100) and MAX_CHARS characters and prints one JSON object:
``{"state": "ok" | "partial" | "unreadable", "text": "…", "reason": "…"}``. Encrypted, damaged
and malformed files are "unreadable"; whatever else goes wrong (a deeply nested PDF exhausting the
recursion limit, memory, time) ends the process, which the parent counts as unreadable too.
"""

from __future__ import annotations

import json
import resource
import sys
import zipfile
from collections.abc import Iterator

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODF = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
)
TEXT = ("text/csv", "text/plain")
MAX_UNZIPPED = 512 * 1024 * 1024
ROWS_PER_PAGE = 100


class Unreadable(Exception):
    """Encrypted, damaged or malformed: the file stays attached, its text is not indexed."""


def pdf_text(path: str, max_pages: int) -> Iterator[str]:
    from pypdf import PdfReader  # noqa: PLC0415 - the child loads only the parser its file needs

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):  # many PDFs are encrypted with an empty user password
                raise Unreadable("encrypted")
        except Exception as error:
            raise Unreadable("encrypted") from error
    for number, page in enumerate(reader.pages):
        if number >= max_pages:
            yield _CUT
            return
        yield (page.extract_text() or "") + "\n"


def docx_text(path: str, max_pages: int) -> Iterator[str]:
    from docx import Document  # noqa: PLC0415 - the child loads only the parser its file needs
    from docx.oxml.ns import qn  # noqa: PLC0415 - the child loads only the parser its file needs

    body = Document(path).element.body
    for paragraph in body.iter(qn("w:p")):
        yield "".join(t.text or "" for t in paragraph.iter(qn("w:t"))) + "\n"


def xlsx_text(path: str, max_pages: int) -> Iterator[str]:
    from openpyxl import load_workbook  # noqa: PLC0415 - the child loads only the parser its file needs

    stream = open(path, "rb")  # noqa: SIM115 - a path without .xlsx would be refused by openpyxl
    book = load_workbook(stream, read_only=True, data_only=True)
    try:
        rows = 0
        for sheet in book.worksheets:
            yield f"{sheet.title}\n"
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > max_pages * ROWS_PER_PAGE:
                    yield _CUT
                    return
                cells = [str(value) for value in row if value is not None and str(value).strip()]
                if cells:
                    yield " ".join(cells) + "\n"
    finally:
        book.close()
        stream.close()


def pptx_text(path: str, max_pages: int) -> Iterator[str]:
    from pptx import Presentation  # noqa: PLC0415 - the child loads only the parser its file needs

    for number, slide in enumerate(Presentation(path).slides):
        if number >= max_pages:
            yield _CUT
            return
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield shape.text_frame.text + "\n"
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    yield " ".join(cell.text for cell in row.cells) + "\n"


def odf_text(path: str, max_pages: int) -> Iterator[str]:
    from odf import teletype  # noqa: PLC0415 - the child loads only the parser its file needs
    from odf.namespaces import TEXTNS  # noqa: PLC0415 - the child loads only the parser its file needs
    from odf.opendocument import load  # noqa: PLC0415 - the child loads only the parser its file needs

    stack = [load(path).body]
    while stack:  # iterative: a deeply nested document cannot exhaust the recursion limit
        element = stack.pop()
        if getattr(element, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
            yield teletype.extractText(element) + "\n"
            continue
        stack.extend(reversed(getattr(element, "childNodes", [])))


def plain_text(path: str, max_pages: int) -> Iterator[str]:
    with open(path, "rb") as stream:
        data = stream.read(8 * 1024 * 1024)
    try:
        yield data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield data.decode("cp1252", "replace")


READERS = {PDF: pdf_text, DOCX: docx_text, XLSX: xlsx_text, PPTX: pptx_text, **dict.fromkeys(ODF, odf_text)}
READERS.update(dict.fromkeys(TEXT, plain_text))
_CUT = "\x00cut"  # a reader stopped at the page limit


def check_zip(path: str) -> None:
    if not zipfile.is_zipfile(path):
        raise Unreadable("damaged")
    with zipfile.ZipFile(path) as archive:
        if sum(entry.file_size for entry in archive.infolist()) > MAX_UNZIPPED:
            raise Unreadable("too-large-unpacked")


def read(path: str, content_type: str, max_chars: int, max_pages: int) -> dict[str, str]:
    reader = READERS.get(content_type)
    if reader is None:
        return {"state": "unreadable", "text": "", "reason": "unsupported"}
    if content_type not in TEXT and content_type != PDF:
        check_zip(path)
    parts: list[str] = []
    length, state = 0, "ok"
    for part in reader(path, max_pages):
        if part == _CUT:
            state = "partial"
            break
        parts.append(part)
        length += len(part)
        if length >= max_chars:
            state = "partial" if length > max_chars else state
            break
    text = "".join(parts)[:max_chars]
    return {"state": state, "text": text, "reason": ""}


def _limit(seconds: int, memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> int:
    path, content_type, max_chars, max_pages, seconds, memory_mb = argv
    _limit(int(seconds), int(memory_mb))
    sys.setrecursionlimit(2000)
    try:
        result = read(path, content_type, int(max_chars), int(max_pages))
    except Unreadable as error:
        result = {"state": "unreadable", "text": "", "reason": str(error)}
    except (Exception, RecursionError) as error:  # noqa: BLE001 - a damaged file: any parser error
        result = {"state": "unreadable", "text": "", "reason": type(error).__name__}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
