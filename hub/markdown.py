"""The only module that turns Markdown into HTML.

Python-Markdown (tables, fenced code, heading ids, sane lists, ``[[slug]]`` links) renders; then nh3
sanitises with an allow-list, so no script, event handler, ``javascript:``/``data:`` URL, style,
iframe, object, embed or form survives, whatever the author typed.

Rendering costs linear work in the length of the text (``hub.markdown_guard`` escapes what would make
the parser scan quadratically), and its result is kept per text and link targets in a bounded cache,
so a page view renders a body once, not on every request.
"""

from __future__ import annotations

import hashlib
import re
import threading
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import markdown as md
import nh3
from flask_babel import gettext
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from hub.lru import SizedLRU
from hub.markdown_guard import bound
from hub.uploads.operations import own_upload_url

WIKILINK_RE = r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)(?:\|([^\]\n]{1,200}))?\]\]"
_WIKILINK = re.compile(WIKILINK_RE)


@dataclass(frozen=True)
class LinkTarget:
    url: str
    title: str


# Resolves the slugs of ``[[slug]]`` links the reader may see to their targets; others are left out.
Resolver = Callable[[Iterable[str]], dict[str, LinkTarget]]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "code": {"class"},
    "span": {"class", "title"},
    "div": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
URL_SCHEMES = {"http", "https", "mailto"}
_CLASS_RE = re.compile(r"^(language-[A-Za-z0-9_+-]{1,30}|wikilink|missing-link|toclink)$")


def referenced_slugs(text: str) -> list[str]:
    """The slugs of all ``[[slug]]`` links in a Markdown text, in order, without repeats."""
    return list(dict.fromkeys(match.group(1) for match in _WIKILINK.finditer(text or "")))


CACHE_CHARS = 32_000_000  # rendered HTML and plain text kept, in characters (about 64 MB at most)
_rendered: SizedLRU[str] = SizedLRU(CACHE_CHARS, len)
_plain: SizedLRU[str] = SizedLRU(CACHE_CHARS // 4, len)
_conversions: Counter[str] = Counter()  # Markdown conversions run in this process ("html", "plain")


def conversions() -> dict[str, int]:
    """How often this process ran Python-Markdown, per output (the caches serve the rest)."""
    return dict(_conversions)


def render(text: str, resolve: Resolver | None = None) -> Markup:
    """Markdown → sanitised HTML, safe to insert into a page (cached per text and link targets)."""
    text = text or ""
    targets = resolve(referenced_slugs(text)) if resolve else {}
    key = (
        _digest(text),
        tuple(sorted((slug, t.url, t.title) for slug, t in targets.items())),
        _missing_title(),
    )
    html = _rendered.get_or_compute(key, lambda: _render(text, targets))
    return Markup(html)  # noqa: S704 - sanitised by allow-list


def _render(text: str, targets: dict[str, LinkTarget]) -> str:
    _conversions["html"] += 1
    converter = md.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "toc",
            _WikiLinkExtension(targets),
            _BoundExtension(),
        ],
        extension_configs={"toc": {"permalink": False, "slugify": _heading_id}},
        output_format="html",
    )
    return sanitise(converter.convert(text))


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The readable text of a Markdown document (for snippets and search), without markup (cached)."""
    text = text or ""
    return _plain.get_or_compute(_digest(text), lambda: _plain_text(text))


_plain_converters = threading.local()  # one reusable converter per thread (building one costs ≈ 0.2 ms)


def _plain_text(text: str) -> str:
    _conversions["plain"] += 1
    unlinked = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    converter = getattr(_plain_converters, "converter", None)
    if converter is None:
        converter = _plain_converters.converter = md.Markdown(extensions=[_BoundExtension()])
    html = sanitise(converter.reset().convert(unlinked))
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [part for part in value.split() if _CLASS_RE.match(part)]
        return " ".join(kept) or None
    if tag == "img" and name == "src":
        # Only our own uploads: an image from another host would track readers.

        return own_upload_url(value)
    if name in {"width", "height"}:
        return value if value.isdigit() else None
    if name == "id":
        return "h-" + value if not value.startswith("h-") else value
    return value


def _missing_title() -> str:
    try:
        return gettext("This write-up does not exist or is not visible to you.")
    except (RuntimeError, KeyError):  # outside an application context
        return "This write-up does not exist or is not visible to you."


def _heading_id(value: str, separator: str) -> str:
    return "h-" + slugify_unicode(value, separator)


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, targets: dict[str, LinkTarget]) -> None:
        super().__init__(pattern)
        self.targets = targets

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]  # InlineProcessor's signature; types-Markdown checks it against Pattern's too
        slug, text = m.group(1), m.group(2)
        target = self.targets.get(slug)
        if target is None:
            # Unknown or not visible to this reader: mark it, never reveal a hidden title.
            element = etree.Element("span")
            element.set("class", "missing-link")
            element.set("title", _missing_title())
            element.text = text or slug
        else:
            element = etree.Element("a")
            element.set("href", target.url)
            element.set("class", "wikilink")
            element.text = text or target.title
        return element, m.start(0), m.end(0)


class _WikiLinkExtension(Extension):
    def __init__(self, targets: dict[str, LinkTarget]) -> None:
        super().__init__()
        self.targets = targets

    def extendMarkdown(self, md_instance: md.Markdown) -> None:
        md_instance.inlinePatterns.register(
            _WikiLinkProcessor(WIKILINK_RE, self.targets), "hub_wikilink", 175
        )


class _BoundPreprocessor(Preprocessor):
    """Runs ``markdown_guard.bound`` first: over-budget paragraphs go to the HTML stash as text."""

    def run(self, lines: list[str]) -> list[str]:
        return bound("\n".join(lines), self.md.htmlStash.store).text.split("\n")


class _BoundExtension(Extension):
    def extendMarkdown(self, md_instance: md.Markdown) -> None:
        # After whitespace normalising (30), before fenced code (25) and HTML blocks (20).
        md_instance.preprocessors.register(_BoundPreprocessor(md_instance), "hub_bound", 29)
