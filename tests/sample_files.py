"""Files the attachment tests build themselves: small valid documents and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from odf.opendocument import OpenDocumentText
from odf.text import H, P
from openpyxl import Workbook
from pptx import Presentation
from pypdf import PdfWriter

from hub.attachments.files import DOCX, PPTX, XLSX

OOXML_PARTS = {
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    PPTX: ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}
MACRO_TYPES = {
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
}


def pdf(*pages: str) -> bytes:
    """A small valid PDF with one line of Helvetica text per page."""
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def ooxml(content_type: str, xml: str = "<document/>", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal OOXML package whose ``[Content_Types].xml`` names the main part of ``content_type``."""
    part, main = OOXML_PARTS[content_type]
    return _package(part, "application/vnd.openxmlformats-officedocument." + main, xml, extra)


def macro_enabled(kind: str) -> bytes:
    part, main = MACRO_TYPES[kind]
    return _package(part, main, "<document/>", {f"{part.split('/')[0]}/vbaProject.bin": b"\x00" * 64})


def _package(part: str, main: str, xml: str, extra: dict[str, bytes] | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{main}"/></Types>',
        )
        archive.writestr(part, xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(content_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), content_type)  # stored, first, as ODF wants
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(content_type: str, megabytes: int = 64) -> bytes:
    """An OOXML package with one part of ``megabytes`` zeros: a few kilobytes that unpack to far more."""
    part, main = OOXML_PARTS[content_type]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
            f'{main}"/></Types>',
        )
        with archive.open(part, "w", force_zip64=True) as stream:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
    return buffer.getvalue()


def encrypted_office() -> bytes:
    """What Office writes for a password-protected DOCX/XLSX: an OLE container with EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 96
    return header + directory + b"\x00" * 1024





def docx(*paragraphs: str) -> bytes:
    """A real DOCX (python-docx): a heading, then the paragraphs."""
    document = Document()
    document.add_heading("Bericht", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(*rows: tuple[str, ...]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pptx(*slides: str) -> bytes:
    deck = Presentation()
    for text in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = text
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def odt(*paragraphs: str) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Bericht"))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("geheim", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def nested_pdf(depth: int = 200_000) -> bytes:
    """A PDF whose only object is an array nested ``depth`` deep."""
    return b"%PDF-1.4\n1 0 obj\n" + b"[" * depth + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"


def looping_pdf() -> bytes:
    """A PDF whose page tree contains itself: endless unless the reader is bounded."""
    body = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>\nendobj\n"
    )
    return body + b"trailer\n<< /Size 4 /Root 1 0 R >>\n%%EOF\n"


def pdf_bomb(megabytes: int = 400) -> bytes:
    """One page whose content stream is a few hundred kilobytes that inflate to ``megabytes`` MB."""
    stream = zlib.compress(b" " * (megabytes * 1024 * 1024), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(
        b"IEND", b""
    )


def word_report() -> bytes:
    """A report with every feature the conversion promises."""
    document = Document()
    document.core_properties.title = "Eigenschaftstitel"
    document.add_heading("Digitale Zeiterfassung im Handwerk", level=1)
    paragraph = document.add_paragraph("Ein Absatz mit ")
    paragraph.add_run("fetter").bold = True
    paragraph.add_run(" und ")
    paragraph.add_run("kursiver").italic = True
    paragraph.add_run(" Schrift sowie *Sternchen*.")
    document.add_heading("Ablauf", level=2)
    document.add_paragraph("Erster Schritt", style="List Bullet")
    document.add_paragraph("Zweiter Schritt", style="List Bullet")
    document.add_paragraph("Auswerten", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Kosten", "Nutzen"
    table.cell(1, 0).text, table.cell(1, 1).text = "2.500 €", "hoch | sehr"
    linked = document.add_paragraph("Mehr unter ")
    rid = linked.part.relate_to("https://example.org/zeit", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link, run, text = OxmlElement("w:hyperlink"), OxmlElement("w:r"), OxmlElement("w:t")
    link.set(qn("r:id"), rid)
    text.text = "der Seite"
    run.append(text)
    link.append(run)
    linked._p.append(link)
    document.add_picture(io.BytesIO(_png()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
