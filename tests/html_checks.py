"""Parse a page like a browser would and find anything that could execute."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

CSRF_TOKEN = re.compile(r'"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}"')  # itsdangerous: value.time.signature


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: each is signed with the second it was made in, so two
    renderings of the same page differ there and nowhere else."""
    return CSRF_TOKEN.sub('"CSRF"', page)


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


def duplicate_ids(html: str) -> list[str]:
    """Ids that more than one element of the page carries (labels, ``aria-*`` and anchors then point
    at the wrong one)."""
    soup = BeautifulSoup(html, "html.parser")
    seen: dict[str, int] = {}
    for element in soup.find_all(id=True):
        seen[element["id"]] = seen.get(element["id"], 0) + 1
    return sorted(name for name, count in seen.items() if count > 1)


def unlabelled_controls(html: str) -> list[str]:
    """Form controls without a label that points at them (``<label for>``, a wrapping label or
    ``aria-label``/``aria-labelledby``), and labels whose ``for`` names no control."""
    soup = BeautifulSoup(html, "html.parser")
    ids = {element["id"]: element for element in soup.find_all(id=True)}
    problems = [f"label for={label['for']!r}" for label in soup.find_all("label", attrs={"for": True})
                if ids.get(label["for"]) is None or ids[label["for"]].name not in {"input", "select", "textarea"}]
    labelled = {label["for"] for label in soup.find_all("label", attrs={"for": True})}
    for control in soup.select("input, select, textarea"):
        if control.get("type") in {"hidden", "submit", "button"}:
            continue
        if control.get("id") in labelled or control.find_parent("label") is not None:
            continue
        if control.get("aria-label") or control.get("aria-labelledby"):
            continue
        problems.append(f"<{control.name} name={control.get('name')!r}>")
    return problems
