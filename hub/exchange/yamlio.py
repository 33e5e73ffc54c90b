"""YAML and front-matter parsing for the content folder, with dates kept as text for clear errors."""

from __future__ import annotations

from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler


class ContentLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings (so a bad date is reported by field) and refuses
    duplicate keys (which would otherwise silently drop the first value)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FormatError(ValueError):
    """A file that cannot be parsed at all (broken YAML, missing front matter)."""


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML; errors name the line in the file (``first_line``: where ``text`` starts)."""
    try:
        return yaml.load(text, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise FormatError(_describe(error, first_line)) from error


def split_front_matter(text: str) -> tuple[Any, str]:
    """(metadata, Markdown body) of a document that starts with ``---`` YAML front matter."""
    handler = YAMLHandler()
    text = text.lstrip("\ufeff")
    if not handler.detect(text):
        raise FormatError("no YAML front matter (the file must start with a line '---')")
    try:
        front, body = handler.split(text)
    except ValueError as error:
        raise FormatError("front matter is not closed by a line '---'") from error
    return load_yaml(front, first_line=2), body.strip("\n")


def _describe(error: yaml.YAMLError, first_line: int) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f" (line {mark.line + first_line}, column {mark.column + 1})" if mark is not None else ""
    return f"invalid YAML{where}: {problem}"
