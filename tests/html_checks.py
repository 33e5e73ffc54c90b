"""Parse a page like a browser would and find anything that could execute."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "base",
    "style",
    "svg",
    "math",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
}
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|livescript):", re.IGNORECASE)


def executable_markup(html: str, *, scope: str | None = None) -> list[str]:
    """Everything in ``html`` (or in the element matching the CSS selector ``scope``) that could run."""
    soup = BeautifulSoup(html, "html.parser")
    roots = soup.select(scope) if scope else [soup]
    found: list[str] = []
    for root in roots:
        for element in root.find_all(True):
            name = element.name.lower()
            if name in DANGEROUS_TAGS and not _our_asset(element):
                found.append(f"<{name}>")
            if name in {"form", "input", "button", "textarea", "select", "meta", "link"} and scope:
                found.append(f"<{name}> inside user content")
            for attribute, value in element.attrs.items():
                attribute = attribute.lower()
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.startswith("on"):
                    found.append(f"{name}[{attribute}]")
                if attribute == "style":
                    found.append(f"{name}[style]")
                if attribute in URL_ATTRIBUTES:
                    compact = re.sub(r"[\x00-\x20]+", "", text)
                    if _BAD_SCHEME.match(compact):
                        found.append(f"{name}[{attribute}={text[:40]!r}]")
    return found


def _our_asset(element) -> bool:
    """The app's own external scripts (``<script src="/static/…">`` without inline code)."""
    return (
        element.name == "script" and str(element.get("src", "")).startswith("/static/") and not element.string
    )
