"""Reading the files of a content folder: text, YAML and front matter, with errors that say where."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 4 * 1024 * 1024  # far above any write-up the editor allows (200,000 characters)
MAX_ALIAS_VALUES = 100_000  # values YAML aliases (*name) may add to a file's data by repeating others
BOUNDARY = re.compile(r"-{3,}[ \t]*")  # a front-matter line '---'


class ContentLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (so a bad date is reported by field), refuses
    duplicate keys (which would otherwise silently drop the first value) and unhashable keys, and
    refuses aliases that blow the data up ("billion laughs") or refer to the value they are part of."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.written_nodes = 0
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
        else:
            self.written_nodes += 1
        return super().compose_node(parent, index)

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None and self.aliases:
            _expanded_size(node, self.written_nodes + MAX_ALIAS_VALUES, {}, set())
        return node

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
        # not super(): _FastContentLoader borrows this method
        return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep=deep)


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastContentLoader(yaml.CSafeLoader):
    """The same loader on libyaml's parser (≈ 10 times faster), for text without aliases (``*name``):
    the alias limits above live in the Python composer, which libyaml's does not call."""

    construct_mapping = ContentLoader.construct_mapping
    yaml_implicit_resolvers = ContentLoader.yaml_implicit_resolvers


FAST = getattr(yaml, "__with_libyaml__", False)  # PyYAML built with libyaml (the wheels are)


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


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file's content: symbolic links and special files (FIFOs, devices, sockets) are
    refused without being opened or followed, and the size is checked before anything is read."""
    _check_regular(path.lstat(), max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:  # replaced by a link since the check (O_NOFOLLOW: ELOOP)
        raise FormatError(f"cannot be read safely: {error.strerror}", "-") from error
    with os.fdopen(descriptor, "rb") as file:
        _check_regular(os.fstat(file.fileno()), max_bytes)  # the file opened is the file checked
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FormatError(f"file is larger than {_megabytes(max_bytes)}", "-")
    return data


def _check_regular(info: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise FormatError("is a symbolic link; only regular files are read", "-")
    if not stat.S_ISREG(info.st_mode):
        raise FormatError("is not a regular file (but a folder, device or pipe); only those are read", "-")
    if info.st_size > max_bytes:
        raise FormatError(f"file is larger than {_megabytes(max_bytes)}", "-")


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size} bytes"


def read_text(path: Path) -> str:
    """A content file as text: UTF-8, a leading byte order mark ignored, CRLF (Windows) read as LF."""
    data = read_bytes(path, MAX_FILE_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save the file as UTF-8", "-"
        ) from error
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML; errors name the line in the file (``first_line``: where ``text`` starts).

    Text without ``*`` (so without aliases) and without tabs (libyaml takes a tab after ``key:`` that
    the Python parser refuses) is parsed by libyaml; whatever it refuses is parsed again by the
    Python parser, so an error reads the same either way."""
    if FAST and "*" not in text and "\t" not in text:
        try:
            return yaml.load(text, Loader=_FastContentLoader)  # noqa: S506 - a CSafeLoader subclass
        except (yaml.YAMLError, RecursionError, ValueError):
            pass  # the Python parser below says what is wrong, as it always did
    try:
        return yaml.load(text, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        field = str(error.key) if isinstance(error, DuplicateKey) else None
        raise FormatError(_describe(error, first_line), field) from error
    except RecursionError as error:
        raise FormatError("invalid YAML: nested too deeply") from error


def _expanded_size(node: yaml.Node, limit: int, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values ``node`` stands for with every alias expanded (each node counted once per
    use, computed once per node); ``FormatError`` beyond ``limit`` or for a self-referring alias."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise FormatError("invalid YAML: an alias (*name) refers to the value it is part of")
    open_nodes.add(key)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    total = 1
    for child in children:
        total += _expanded_size(child, limit, sizes, open_nodes)
        if total > limit:
            raise FormatError(f"invalid YAML: aliases (*name) add more than {MAX_ALIAS_VALUES} values")
    open_nodes.discard(key)
    sizes[key] = total
    return total


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
