"""What a file is, decided by its content (never by its name), and what it may be called.

PDF by its signature; OOXML (DOCX, XLSX, PPTX) by the main part in ``[Content_Types].xml``;
OpenDocument (ODT, ODS, ODP) by its ``mimetype`` entry; PNG, JPEG and WebP by their signatures;
CSV and plain text as text without markup. Macro-enabled Office files, markup (HTML, SVG, XML)
and ZIP archives that would unpack to more than the limits allow are refused. An encrypted
OOXML file (an OLE container holding ``EncryptedPackage``) is accepted as the Office type its
name announces — its content cannot say more — and its text counts as unreadable.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from hub.uploads.operations import sniff_image

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
CSV = "text/csv"
TXT = "text/plain"


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # short name shown on the practice page
    extension: str
    inline: bool = False  # may open in the browser (PDF, images); everything else downloads


FILE_TYPES: dict[str, FileType] = {
    t.content_type: t
    for t in (
        FileType(PDF, "PDF", ".pdf", inline=True),
        FileType(DOCX, "Word", ".docx"),
        FileType(XLSX, "Excel", ".xlsx"),
        FileType(PPTX, "PowerPoint", ".pptx"),
        FileType(ODT, "ODT", ".odt"),
        FileType(ODS, "ODS", ".ods"),
        FileType(ODP, "ODP", ".odp"),
        FileType(CSV, "CSV", ".csv"),
        FileType(TXT, "Text", ".txt"),
        FileType("image/png", "PNG", ".png", inline=True),
        FileType("image/jpeg", "JPEG", ".jpg", inline=True),
        FileType("image/webp", "WebP", ".webp", inline=True),
    )
}
TEXT_TYPES = (CSV, TXT)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")

OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
ODF_MIMETYPES = {ODT: ODT, ODS: ODS, ODP: ODP}
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# ZIP limits: what an honest Office file never exceeds, a decompression bomb always does.
MAX_ZIP_ENTRIES = 10_000
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed : compressed, per entry larger than 1 MB unpacked
MAX_NAME_CHARS = 200


class AttachmentRefused(ValueError):
    """The file cannot be attached. ``reason``: empty, too-large, too-many, duplicate, unsupported,
    macros, markup, damaged, zip-bomb."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff(content: bytes, name: str = "") -> str:
    """The content type of ``content`` (a key of ``FILE_TYPES``), or ``AttachmentRefused``.

    ``name`` only decides the Office type of an encrypted OOXML file, whose content does not tell.
    """
    if not content:
        raise AttachmentRefused("empty")
    if content.startswith(b"%PDF-"):
        return PDF
    image = sniff_image(content[:16])
    if image is not None:
        return image
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    if content.startswith(CFB_SIGNATURE):
        return _encrypted_office_type(content, name)
    return _text_type(content)


def _zip_type(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise AttachmentRefused("damaged") from error
    _check_bomb(entries)
    names = {entry.filename for entry in entries}
    if "mimetype" in names:
        return _odf_type(archive, names)
    if "[Content_Types].xml" in names:
        return _ooxml_type(archive, names)
    raise AttachmentRefused("unsupported")


def _check_bomb(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise AttachmentRefused("zip-bomb")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            raise AttachmentRefused("zip-bomb")


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as stream:
            return stream.read(limit)
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError) as error:
        raise AttachmentRefused("damaged") from error


def _odf_type(archive: zipfile.ZipFile, names: set[str]) -> str:
    mimetype = _read_small(archive, "mimetype", 200).decode("ascii", "replace").strip()
    if mimetype not in ODF_MIMETYPES:
        raise AttachmentRefused("unsupported")
    if any(n.startswith(("Basic/", "Scripts/")) for n in names):
        raise AttachmentRefused("macros")
    return ODF_MIMETYPES[mimetype]


def _ooxml_type(archive: zipfile.ZipFile, names: set[str]) -> str:
    manifest = _read_small(archive, "[Content_Types].xml", 1024 * 1024).decode("utf-8", "replace")
    declared = set(re.findall(r'ContentType\s*=\s*"([^"]+)"', manifest))
    if any("macroEnabled" in t or "vbaProject" in t for t in declared) or any(
        n.lower().endswith("vbaproject.bin") for n in names
    ):
        raise AttachmentRefused("macros")
    found = {OOXML_MAIN_PARTS[t] for t in declared if t in OOXML_MAIN_PARTS}
    if len(found) != 1:
        raise AttachmentRefused("unsupported")
    return found.pop()


def _encrypted_office_type(content: bytes, name: str) -> str:
    if ENCRYPTED_PACKAGE not in content[: 1024 * 1024] and ENCRYPTED_PACKAGE not in content[-1024 * 1024 :]:
        raise AttachmentRefused("unsupported")  # an old binary .doc/.xls/.ppt: not accepted
    by_extension = {".docx": DOCX, ".xlsx": XLSX, ".pptx": PPTX}
    content_type = by_extension.get(_extension(name))
    if content_type is None:
        raise AttachmentRefused("unsupported")
    return content_type


def is_encrypted_office(content: bytes) -> bool:
    return content.startswith(CFB_SIGNATURE)


def _text_type(content: bytes) -> str:
    head = content[: 64 * 1024]
    if b"\x00" in head:
        raise AttachmentRefused("unsupported")
    text = decode_text(head)
    if text is None:
        raise AttachmentRefused("unsupported")
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise AttachmentRefused("markup")  # HTML, SVG, XML: never served as a download of ours
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        raise AttachmentRefused("unsupported")
    return CSV if _looks_tabular(text) else TXT


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets export it; None if neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3:  # a character cut at the end of the sample
            return data[: error.start].decode("utf-8-sig")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _looks_tabular(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()][:10]
    if len(lines) < 2:
        return False
    for delimiter in (";", ",", "\t"):
        counts = {line.count(delimiter) for line in lines[:-1]}  # the last line may be cut off
        if len(counts) == 1 and counts.pop() > 0:
            return True
    return False


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def normalise_name(name: str, content_type: str) -> str:
    """A safe download name: the last path part, no control characters, at most 200 characters,
    ending in the extension of the type the content has."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(" " if unicodedata.category(c).startswith("C") else c for c in base)
    base = re.sub(r"\s+", " ", base).strip(" .")
    file_type = FILE_TYPES[content_type]
    allowed = {file_type.extension, ".jpeg"} if content_type == "image/jpeg" else {file_type.extension}
    stem = base
    if _extension(base) in allowed:
        stem = base[: base.rfind(".")]
    extension = _extension(base) if _extension(base) in allowed else file_type.extension
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(" .") or "Datei"
    return stem + extension


def title_from_name(file_name: str) -> str:
    """A title for a file given none: its name without extension."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return stem.replace("_", " ").strip()[:300] or file_name
