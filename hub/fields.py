"""Field rules, in one place: how slugs, tags and user names are spelt, which slugs the hub's own
pages reserve, which characters text may hold, and how long each value may be (the model's columns).

The web forms, the API, the content-folder import and the operations all import these rules from
here, so they cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from hub.extensions import db
from hub.models import Collection, Practice, Tag, TagAlias

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9äöüß]+(?:-[a-z0-9äöüß]+)*$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
STATE_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
ALLOWED_CONTROLS = "\t\n"
MAX_BODY = 200_000  # characters of Markdown (a practice's text), in the editor, the API and the import

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def column_length(column: Any) -> int:
    """The length of a text column: a longer value would be cut (SQLite) or refused (PostgreSQL)."""
    return int(column.property.columns[0].type.length)


# --- text ------------------------------------------------------------------------------------------
def stray_control(value: str) -> int | None:
    """Where ``value`` holds a control character other than tab and line feed (or a lone surrogate,
    which UTF-8 cannot store) — text of the hub never does; ``None`` when it is clean."""
    found = _STRAY_CONTROL.search(value)
    return found.start() if found is not None else None


# Unicode's categories Cc (U+0000–U+001F, U+007F–U+009F) and Cs (U+D800–U+DFFF) but ALLOWED_CONTROLS:
# one regular-expression scan instead of a category look-up per character (a body has thousands).
_STRAY_CONTROLS = "".join(
    re.escape(chr(code)) for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in ALLOWED_CONTROLS
)
_STRAY_CONTROL = re.compile(f"[{_STRAY_CONTROLS}]|[\ud800-\udfff]")


def control_character(value: str) -> str | None:
    """The problem with ``value``'s first stray control character, or ``None`` (``stray_control``)."""
    position = stray_control(value)
    if position is None:
        return None
    line = value.count("\n", 0, position) + 1
    return f"contains the control character U+{ord(value[position]):04X} (line {line} of the value)"


# --- slugs -----------------------------------------------------------------------------------------
def slugify(text: str, fallback: str = "eintrag", max_length: int = 120) -> str:
    """“KI-Einstieg im Handwerk: Größe” → ``ki-einstieg-im-handwerk-groesse``."""
    text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS).lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].strip("-")
    return slug or fallback


@dataclass(frozen=True)
class SlugRule:
    """The slugs of one kind of object that has its own page (``/practices/<slug>`` …)."""

    page: str  # endpoint of the object's page; the hub's other pages beside it reserve their names
    fallback: str  # the slug of a title without a single letter or digit
    column: Any

    @property
    def max_length(self) -> int:
        return column_length(self.column)

    def reserved(self) -> frozenset[str]:
        """Names the hub's own pages take beside the object's page (``new``, ``preview`` …), read
        from the app's URL map, so a new page reserves its name without anyone listing it."""
        return _reserved(self.page)

    def problem(self, slug: str) -> str | None:
        """What is wrong with ``slug`` ("is reserved …", English: API and import), or ``None``."""
        if len(slug) > self.max_length:
            return f"is longer than {self.max_length} characters"
        if not SLUG_RE.match(slug):
            return "is not a valid slug (lower case words joined by '-')"
        if slug in self.reserved():
            return "is reserved for a page of the hub"
        return None

    def make(self, title: str) -> str:
        """The slug a title suggests: never empty, never one the hub's pages reserve."""
        slug = slugify(title, fallback=self.fallback, max_length=self.max_length)
        return f"{self.fallback}-{slug}" if slug in self.reserved() else slug


PRACTICE_SLUGS = SlugRule("practices.detail", "praxisbeispiel", Practice.slug)
COLLECTION_SLUGS = SlugRule("collections.detail", "sammlung", Collection.slug)


def _reserved(endpoint: str) -> frozenset[str]:
    cache: dict[str, frozenset[str]] = current_app.extensions.setdefault("hub.reserved_slugs", {})
    if endpoint not in cache:
        cache[endpoint] = _static_siblings(current_app.url_map, endpoint)
    return cache[endpoint]


def _static_siblings(url_map: Any, endpoint: str) -> frozenset[str]:
    """The fixed path segments beside the variable one of ``endpoint``'s rule: for ``/practices/<slug>``
    the ``new`` of ``/practices/new`` and the ``suggest`` of ``/practices/suggest/tags``."""
    (rule,) = [r.rule for r in url_map.iter_rules(endpoint)]
    prefix = rule[: rule.index("<")]
    names = set()
    for other in url_map.iter_rules():
        rest = other.rule[len(prefix) :] if other.rule.startswith(prefix) else ""
        segment = rest.split("/", 1)[0]
        if segment and "<" not in segment:
            names.add(segment)
    return frozenset(names)


# --- tags ------------------------------------------------------------------------------------------
def tag_max_length() -> int:
    return column_length(Tag.name)


def normalise_tag(name: str) -> str:
    """Lower case, spaces and underscores to ``-`` (CONTENT-FORMAT.md: words joined by ``-``)."""
    return re.sub(r"[\s_]+", "-", name.strip().lower()).strip("-")


def valid_tag(name: Any) -> bool:
    """A tag as stored: lower-case words joined by ``-`` that fit the column."""
    return isinstance(name, str) and len(name) <= tag_max_length() and TAG_RE.match(name) is not None


def canonical_tag(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Lower-cased tag name with aliases resolved to their canonical tag; ``aliases`` (from
    ``tag_aliases``) spares a look-up per tag where many are resolved at once."""
    name = name.strip().lower()
    if aliases is not None:
        return aliases.get(name, name)
    alias = db.session.get(TagAlias, name)
    return alias.tag.name if alias is not None else name


def tag_aliases() -> dict[str, str]:
    """Every alias → the name of its canonical tag."""
    rows = db.session.execute(sa.select(TagAlias.alias, Tag.name).join(Tag, TagAlias.tag_id == Tag.id))
    return dict(rows.tuples().all())
