"""Write YAML in the layout of CONTENT-FORMAT.md: keys in a fixed order, short lists inline, one
entry per line for lists of mappings — so exports diff cleanly in git and read back identically."""

from __future__ import annotations

from typing import Any

import yaml

from hub.exchange.yamlio import markdown_body

LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")  # what YAML reads as a line break


class _Dumper(yaml.SafeDumper):
    """Multi-line text as one double-quoted line with escapes: safe at any indentation, and the only
    style in which YAML keeps every line break as written (plain and single-quoted text folds them)."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if LINE_BREAKS.intersection(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


class FlowMapping(dict):
    """A mapping ``mapping()`` writes on one line, ``key: {a: 1, b: [x]}`` (e.g. a saved search)."""


_Dumper.add_representer(FlowMapping, lambda dumper, value: dumper.represent_dict(dict(value)))


def inline(value: Any) -> str:
    """A value on one line: a scalar (quoted only where YAML needs it), ``[a, b]`` or ``{k: v}``."""
    text = yaml.dump(
        value, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    return text.removesuffix("\n...\n").removesuffix("\n")


def mapping(data: dict[str, Any], indent: str = "") -> str:
    """A block mapping; nested mappings as blocks, lists of mappings one entry per line."""
    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and not isinstance(value, FlowMapping):
            lines.append(f"{indent}{key}:")
            lines.append(mapping(value, indent + "  ").rstrip("\n"))
        elif isinstance(value, list) and value and all(isinstance(item, dict | list) for item in value):
            lines.append(f"{indent}{key}:")
            lines.extend(f"{indent}  - {inline(item)}" for item in value)
        else:
            lines.append(f"{indent}{key}: {inline(value)}")
    return "\n".join(lines) + "\n"


def block_list(entries: list[dict[str, Any]]) -> str:
    """A list of mappings, each entry as a block (centres.yml)."""
    out = []
    for entry in entries:
        body = mapping(entry, "  ")
        out.append("- " + body[2:])
    return "".join(out)


def flow_list(entries: list[dict[str, Any]]) -> str:
    """A list of mappings, one flow mapping per line (users.yml)."""
    return "".join(f"- {inline(entry)}\n" for entry in entries)


def document(front_matter: dict[str, Any], body: str) -> str:
    """A Markdown file with YAML front matter; the body as the reader gives it back (``markdown_body``)."""
    body = markdown_body(body)
    return "---\n" + mapping(front_matter) + "---\n" + (body + "\n" if body else "")
