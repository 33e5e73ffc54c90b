"""Reading the files of a content folder: text, YAML and front matter, with errors that say where."""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 4 * 1024 * 1024  # far above any write-up the editor allows (200,000 characters)
BOUNDARY = re.compile(r"-{3,}[ \t]*")  # a front-matter line '---'


class ContentLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (so a bad date is reported by field) and refuses
    duplicate keys (which would otherwise silently drop the first value) and unhashable keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # merge keys (<<) become ordinary keys: merged and set again = duplicate
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None, None, "a list or mapping cannot be a key", key_node.start_mark
                )
            if key in seen:
                raise DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: Any, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"duplicate key {key!r}", mark)
        self.key = key


class FormatError(ValueError):
    """A file that cannot be parsed at all (not UTF-8, broken YAML, missing front matter).

    ``field`` names the key when the problem belongs to one (a duplicate key)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def read_text(path: Path) -> str:
    """A content file as text: UTF-8, a leading byte order mark ignored, CRLF (Windows) read as LF."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FormatError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", "-")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save the file as UTF-8", "-"
        ) from error
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML; errors name the line in the file (``first_line``: where ``text`` starts)."""
    try:
        return yaml.load(text, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        field = str(error.key) if isinstance(error, DuplicateKey) else None
        raise FormatError(_describe(error, first_line), field) from error


def split_front_matter(text: str) -> tuple[Any, str]:
    """(metadata, Markdown body) of a document that starts with ``---`` YAML front matter."""
    lines = text.split("\n")
    if not BOUNDARY.fullmatch(lines[0]):
        raise FormatError("no YAML front matter (the file must start with a line '---')")
    end = next((index for index in range(1, len(lines)) if BOUNDARY.fullmatch(lines[index])), None)
    if end is None:
        raise FormatError("front matter is not closed by a line '---'")
    return load_yaml("\n".join(lines[1:end]), first_line=2), markdown_body("\n".join(lines[end + 1 :]))


def markdown_body(text: str) -> str:
    """The Markdown as the hub keeps it: without leading and trailing blank lines (lines of only
    spaces and tabs); everything between stays as written."""
    lines = text.split("\n")
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    return "\n".join(lines)


def _describe(error: yaml.YAMLError, first_line: int) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f" (line {mark.line + first_line}, column {mark.column + 1})" if mark is not None else ""
    return f"invalid YAML{where}: {problem}"
