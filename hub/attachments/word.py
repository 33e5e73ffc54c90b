"""A write-up from a Word (DOCX) or OpenDocument text (ODT) file: title and Markdown body.

Headings, paragraphs, bold and italic, bulleted and numbered lists, tables and links become
Markdown; each image is handed to ``store_image`` (which returns its address, or None to leave it
out). The title is the first heading (then dropped from the body), else the file's own title
property, else the file name. Text is escaped so that nothing in the document becomes Markdown
syntax it did not mean.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from odf.namespaces import DCNS, FONS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import load

from hub.attachments.files import DOCX, ODT

XLINK = "http://www.w3.org/1999/xlink"
DRAWNS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
ImageStore = Callable[[bytes, str], "str | None"]  # (content, name) → address or None
_ESCAPE = re.compile(r"([\\`*_\[\]])")


@dataclass
class Converted:
    title: str
    body: str
    headings: list[str] = field(default_factory=list)


class NotConvertible(ValueError):
    """Not a DOCX or ODT file, or one that cannot be read."""


def convert(content: bytes, content_type: str, store_image: ImageStore, file_name: str = "") -> Converted:
    """The document as a title and a Markdown body."""
    try:
        if content_type == DOCX:
            blocks, title_property = _docx_blocks(content, store_image)
        elif content_type == ODT:
            blocks, title_property = _odt_blocks(content, store_image)
        else:
            raise NotConvertible("not-a-text-document")
    except NotConvertible:
        raise
    except Exception as error:  # python-docx / odfpy on a damaged or encrypted file
        raise NotConvertible("unreadable") from error
    return _assemble(blocks, title_property, file_name)


# A block: ("heading", level, text) | ("para", text) | ("item", depth, ordered, text) | ("table", rows)
Block = tuple[Any, ...]


def _assemble(blocks: list[Block], title_property: str, file_name: str) -> Converted:
    title = ""
    for index, block in enumerate(blocks):
        if block[0] == "heading" and block[2].strip():
            title = _unescape(block[2]).strip()
            del blocks[index]
            break
    title = title or (title_property or "").strip() or re.sub(r"\.[A-Za-z]+$", "", file_name).strip()
    out: list[str] = []
    previous = ""
    for block in blocks:
        kind = block[0]
        if kind == "item":
            if previous != "item":
                out.append("")
            depth, ordered, text = block[1], block[2], block[3]
            out.append("    " * depth + ("1. " if ordered else "- ") + text)
        elif kind == "heading":
            out += ["", "#" * min(max(block[1], 1), 6) + " " + block[2]]
        elif kind == "table":
            out += ["", *_table(block[1])]
        elif block[1].strip():
            out += ["", block[1]]
        previous = kind
    body = "\n".join(out).strip() + "\n"
    headings = [_unescape(b[2]) for b in blocks if b[0] == "heading"]
    return Converted(title=" ".join(title.split())[:300], body=body, headings=headings)


def _table(rows: list[list[str]]) -> list[str]:
    rows = [row for row in rows if row]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    cells = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _link(label: str, url: str) -> str:
    """A Markdown link for web and mail addresses; anything else (files, scripts) keeps only its text."""
    if not url.startswith(("http://", "https://", "mailto:")):
        return label
    return f"[{label or _escape(url)}]({url.replace(' ', '%20').replace('(', '%28').replace(')', '%29')})"


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]])", r"\1", text)


def _styled(text: str, bold: bool, italic: bool) -> str:
    """``**text**`` / ``*text*`` around the words, the surrounding spaces outside the marks."""
    core = text.strip()
    if not core or not (bold or italic):
        return text
    marks = "***" if bold and italic else "**" if bold else "*"
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{marks}{core}{marks}{end}"


def _join(parts: Iterable[tuple[str, bool, bool]]) -> str:
    """Runs of equal formatting merged before marking, so "**Wo**rt" never happens."""
    merged: list[list[Any]] = []
    for text, bold, italic in parts:
        if merged and merged[-1][1:] == [bold, italic] and not text.startswith("\x00"):
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    return "".join(
        text[1:] if text.startswith("\x00") else _styled(_escape(text), bold, italic)
        for text, bold, italic in merged
    )


# --- DOCX (python-docx) ---------------------------------------------------------------------------


def _docx_blocks(content: bytes, store_image: ImageStore) -> tuple[list[Block], str]:
    document = Document(io.BytesIO(content))
    numbering = _docx_numbering(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [
                [" ".join(_docx_inline(p, document, store_image) for p in c.paragraphs) for c in row.cells]
                for row in item.rows
            ]
            blocks.append(("table", rows))
            continue
        blocks.append(_docx_paragraph(item, document, numbering, store_image))
    return blocks, document.core_properties.title or ""


def _docx_paragraph(
    paragraph: Any, document: Any, numbering: dict[tuple[str, str], bool], store: ImageStore
) -> Block:
    text = _docx_inline(paragraph, document, store)
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    level = _heading_level(style)
    if level:
        return ("heading", level, text)
    num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if num is not None and num.numId is not None:
        depth = int(num.ilvl.val) if num.ilvl is not None else 0
        ordered = numbering.get((str(num.numId.val), str(depth)), False)
        return ("item", depth, ordered, text)
    if "list" in style or "liste" in style or "aufzählung" in style:
        return ("item", 0, "number" in style or "nummer" in style, text)
    return ("para", text)


def _heading_level(style: str) -> int:
    if style in ("title", "titel"):
        return 1
    match = re.match(r"(heading|überschrift)\s*(\d)", style)
    return int(match.group(2)) if match else 0


def _docx_inline(paragraph: Any, document: Any, store: ImageStore) -> str:
    parts: list[tuple[str, bool, bool]] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            parts.append(("\x00" + _link(_escape(item.text), item.url or ""), False, False))
            continue
        for image in _docx_images(item, document, store):
            parts.append(("\x00" + image, False, False))
        parts.append((item.text, bool(item.bold), bool(item.italic)))
    return _join(parts).strip()


def _docx_images(run: Any, document: Any, store: ImageStore) -> list[str]:
    found = []
    for blip in run._r.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = document.part.related_parts.get(rid) if rid else None
        if part is None:
            continue
        name = part.partname.split("/")[-1]
        url = store(part.blob, name)
        if url:
            found.append(f"![{_alt(name)}]({url})")
    return found


def _docx_numbering(document: Any) -> dict[tuple[str, str], bool]:
    """(numId, level) → numbered (True) or bulleted (False)."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    formats: dict[str, dict[str, bool]] = {}
    for abstract in root.findall(f"{w}abstractNum"):
        levels = formats[abstract.get(f"{w}abstractNumId")] = {}
        for lvl in abstract.findall(f"{w}lvl"):
            fmt = lvl.find(f"{w}numFmt")
            levels[lvl.get(f"{w}ilvl")] = fmt is not None and fmt.get(f"{w}val") != "bullet"
    result: dict[tuple[str, str], bool] = {}
    for num in root.findall(f"{w}num"):
        abstract_id = num.find(f"{w}abstractNumId")
        levels = formats.get(abstract_id.get(f"{w}val") if abstract_id is not None else "", {})
        for level, ordered in levels.items():
            result[(num.get(f"{w}numId"), level)] = ordered
    return result


def _alt(name: str) -> str:
    return re.sub(r"[\[\]()]", " ", name.rsplit(".", 1)[0]).strip() or "Bild"


# --- ODT (odfpy) ----------------------------------------------------------------------------------


def _odt_blocks(content: bytes, store_image: ImageStore) -> tuple[list[Block], str]:
    document = load(io.BytesIO(content))
    archive = zipfile.ZipFile(io.BytesIO(content))
    styles: dict[str, tuple[bool, bool]] = {}
    for style in document.automaticstyles.childNodes:
        name = style.attributes.get((STYLENS, "name"))
        for child in getattr(style, "childNodes", []):
            if getattr(child, "qname", None) == (STYLENS, "text-properties"):
                bold = child.attributes.get((FONS, "font-weight")) == "bold"
                italic = child.attributes.get((FONS, "font-style")) == "italic"
                styles[name] = (bold, italic)
    blocks: list[Block] = []

    def inline(element: Any, bold: bool = False, italic: bool = False) -> list[tuple[str, bool, bool]]:
        parts: list[tuple[str, bool, bool]] = []
        for node in element.childNodes:
            if node.nodeType == node.TEXT_NODE:
                parts.append((str(node.data), bold, italic))
                continue
            qname = node.qname
            if qname == (TEXTNS, "span"):
                b, i = styles.get(node.attributes.get((TEXTNS, "style-name")), (False, False))
                parts += inline(node, bold or b, italic or i)
            elif qname == (TEXTNS, "a"):
                url = node.attributes.get((XLINK, "href"), "")
                parts.append(("\x00" + _link(_join(inline(node)), url), False, False))
            elif qname in ((TEXTNS, "s"), (TEXTNS, "tab"), (TEXTNS, "line-break")):
                parts.append((" ", bold, italic))
            elif qname == (DRAWNS, "frame"):
                parts += [("\x00" + image, False, False) for image in _odt_images(node, archive, store_image)]
            else:
                parts += inline(node, bold, italic)
        return parts

    def walk(element: Any, depth: int = -1, ordered: bool = False) -> None:
        for node in element.childNodes:
            qname = getattr(node, "qname", None)
            if qname == (TEXTNS, "h"):
                level = int(node.attributes.get((TEXTNS, "outline-level"), "1") or 1)
                blocks.append(("heading", level, _join(inline(node)).strip()))
            elif qname == (TEXTNS, "p"):
                text = _join(inline(node)).strip()
                blocks.append(("item", depth, ordered, text) if depth >= 0 else ("para", text))
            elif qname == (TEXTNS, "list"):
                walk(node, depth + 1, ordered)
            elif qname == (TEXTNS, "list-item"):
                walk(node, depth, ordered)
            elif qname == (TABLENS, "table"):
                rows = [
                    [
                        " ".join(_join(inline(p)).strip() for p in _descendants(cell, (TEXTNS, "p")))
                        for cell in _descendants(row, (TABLENS, "table-cell"))
                    ]
                    for row in _descendants(node, (TABLENS, "table-row"))
                ]
                blocks.append(("table", rows))
            elif qname is not None:
                walk(node, depth, ordered)

    walk(document.text)
    title = ""
    for node in _descendants(document.meta, (DCNS, "title")):
        title = str(node)
    return blocks, title


def _odt_images(frame: Any, archive: zipfile.ZipFile, store: ImageStore) -> list[str]:
    found = []
    for image in frame.childNodes:
        href = image.attributes.get((XLINK, "href"), "") if hasattr(image, "attributes") else ""
        if href and href in archive.namelist():
            url = store(archive.read(href), href.split("/")[-1])
            if url:
                found.append(f"![{_alt(href.split('/')[-1])}]({url})")
    return found


def _descendants(element: Any, qname: tuple[str, str]) -> list[Any]:
    found, stack = [], list(reversed(getattr(element, "childNodes", [])))
    while stack:
        node = stack.pop()
        if getattr(node, "qname", None) == qname:
            found.append(node)
            continue
        stack.extend(reversed(getattr(node, "childNodes", [])))
    return found
