"""Read and validate a content folder completely before anything is written.

``read_folder`` returns a ``Bundle`` of plain data, or raises ``InvalidContent`` listing every
problem as ``file: field: what``. It reads the folder in two passes, so that memory does not grow
with the folder's write-ups: the first (``read_folder``) checks every file and keeps of the
practices and images only their file names and what later checks need (slugs, the vocabularies);
the second (``read_practices``, ``read_upload``) reads each file again, one at a time, as the
import writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.exchange.attachments import AttachmentEntry, read_attachments
from hub.exchange.fields import SECTOR_CODES, Checker, Problem, Problems
from hub.exchange.yamlio import FormatError, load_yaml, read_bytes, read_text, split_front_matter
from hub.fields import (
    COLLECTION_SLUGS,
    MAX_BODY,
    PRACTICE_SLUGS,
    SLUG_RE,
    STATE_RE,
    USERNAME_RE,
    SlugRule,
    column_length,
    valid_tag,
)
from hub.filters import FILTER_NAMES
from hub.models import Centre, Collection, CompanySize, Practice, Sector, Topic, User
from hub.practices.data import Experience, Outcome, PracticeData, RelatedLink
from hub.saved_searches.criteria import SavedSearch, Vocabulary
from hub.uploads.operations import IMAGE_TYPES, MAX_IMAGE_BYTES, NAME_RE, sniff_image
from hub.vocabulary import SIZE_CODES, CentreKind, Kind, LinkType, Result, Role, Status, Visibility
from hub.vocabulary.stored import Known

PRACTICE_KEYS = (
    "title", "slug", "kind", "centre", "authors", "summary", "sectors", "sizes", "topics", "tags",
    "visibility", "status", "published", "updated", "review_due", "outcome", "related", "experiences",
)
UPLOADS_FILE = "uploads.yml"
UPLOAD_KEYS = ("file", "original_name", "uploader", "uploaded")
COLLECTION_KEYS = ("title", "slug", "curator", "centre", "visibility", "practices", "search")
SEARCH_KEYS = ("q", *FILTER_NAMES)  # a collection's saved search (an optional extension of the format)
MAX_NOTE = 5_000  # characters of an experience report's note, as in the API
MAX_EFFORT_DAYS = 10**7  # outcome.effort_days is stored as Numeric(8, 1)
MAX_COST_EUR = 2**31  # outcome.cost_eur is stored as Integer


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


@dataclass
class Bundle:
    """A checked folder. Practices and images are named, not held: ``read_practices`` and
    ``read_upload`` read them again when they are written."""

    root: Path
    centres: list[dict[str, Any]] = field(default_factory=list)
    taxonomy: dict[str, Any] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)
    practice_files: list[str] = field(default_factory=list)  # "practices/<name>.md", in folder order
    collections: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (file name, type) of uploads/
    upload_meta: dict[str, UploadMeta] = field(default_factory=dict)  # file name → uploads.yml entry
    attachments: list[AttachmentEntry] = field(default_factory=list)  # attachments.yml
    refs: dict[str, set[str]] = field(default_factory=dict)  # centres, sectors, … a practice may name
    practice_slugs: set[str] = field(default_factory=set)  # of the folder and the hub: link targets

    @property
    def size(self) -> int:
        return len(self.centres) + len(self.users) + len(self.practice_files) + len(self.collections) + 1


@dataclass
class UploadMeta:
    """What ``uploads.yml`` says about one uploaded image."""

    original_name: str = ""
    uploader: str | None = None
    uploaded: datetime | None = None


class InvalidContent(Exception):
    def __init__(self, problems: Problems) -> None:
        self.problems = problems.items
        super().__init__("\n".join(str(p) for p in self.problems))


def read_folder(root: Path, known: Known | None = None) -> Bundle:
    known = known or Known()
    problems = Problems()
    if not root.is_dir():
        problems.add(str(root), "-", "is not a folder")
        raise InvalidContent(problems)
    reader = _Reader(root, known, problems)
    bundle = reader.read()
    if problems:
        raise InvalidContent(problems)
    return bundle


def read_practices(bundle: Bundle) -> Iterator[PracticeData]:
    """The second pass: the practices of a checked folder, each read and checked again as it is
    taken (nothing of it kept here). A file changed since ``read_folder`` so that it no longer
    passes raises ``InvalidContent`` naming it (the import, in one transaction, then writes nothing)."""
    for name in bundle.practice_files:
        problems = Problems()
        document = _read_document(bundle.root / name, name, problems)
        practice = None
        if document is not None:
            meta, body = document
            practice = PracticeChecker(problems).check(name, meta, body, bundle.refs, bundle.practice_slugs)
        if practice is None:  # changed since read_folder checked it: its problems are named
            raise InvalidContent(problems)
        yield practice


def read_upload(bundle: Bundle, name: str, kind: str) -> bytes:
    """The second pass over ``uploads/``: an image's content, read again and checked as before."""
    problems = Problems()
    content = _image(bundle.root / "uploads" / name, f"uploads/{name}", problems)
    if content is None or content[1] != kind:
        if not problems:
            problems.add(f"uploads/{name}", "-", "changed while the folder was imported")
        raise InvalidContent(problems)
    return content[0]


def _read_document(path: Path, name: str, problems: Problems) -> tuple[dict[str, Any], str] | None:
    """(front matter, Markdown body) of one document, or ``None`` with the problem recorded."""
    try:
        meta, body = split_front_matter(read_text(path))
    except FormatError as error:
        problems.add(name, error.field or "front matter", str(error))
        return None
    except OSError as error:  # gone since the folder was listed
        problems.add(name, "-", f"cannot be read: {error.strerror}")
        return None
    if not isinstance(meta, dict):
        problems.add(name, "front matter", "must be a mapping of keys to values")
        return None
    return meta, body


def _image(path: Path, name: str, problems: Problems) -> tuple[bytes, str] | None:
    """(content, type) of an image in ``uploads/``, or ``None`` with the problem recorded."""
    try:
        content = read_bytes(path, MAX_IMAGE_BYTES)
    except FormatError as error:
        problems.add(name, "-", str(error))
        return None
    except OSError as error:
        problems.add(name, "-", f"cannot be read: {error.strerror}")
        return None
    kind = sniff_image(content[:16])
    if kind is None or not path.name.endswith(IMAGE_TYPES[kind]):
        problems.add(name, "-", "not a PNG, JPEG or WebP image matching its extension")
        return None
    return content, kind


class LaterLinks:
    """Related links whose target was not among the slugs read so far, while the practices are
    checked one file at a time: decided once every slug of the folder is known (``settle``), each
    problem put where a check knowing every slug from the start would have put it."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.waiting: list[tuple[int, str, Problem]] = []  # (position in problems, target, problem)

    def add(self, target: str, problem: Problem) -> None:
        self.waiting.append((len(self.problems.items), target, problem))

    def settle(self, slugs: set[str]) -> None:
        for position, target, problem in reversed(self.waiting):  # later positions first
            if target not in slugs:
                self.problems.items.insert(position, problem)
        self.waiting.clear()


class _Reader:
    def __init__(self, root: Path, known: Known, problems: Problems) -> None:
        self.root, self.known, self.problems = root, known, problems

    def read(self) -> Bundle:
        bundle = Bundle(self.root)
        bundle.centres = self._centres()
        bundle.taxonomy = self._taxonomy()
        centres = self.known.centres | {c["slug"] for c in bundle.centres}
        sectors = self.known.sectors | {s["code"] for s in bundle.taxonomy.get("sectors", [])}
        sizes = self.known.sizes | {s["code"] for s in bundle.taxonomy.get("sizes", [])}
        topics = self.known.topics | {t["slug"] for t in bundle.taxonomy.get("topics", [])}
        bundle.users = self._users(centres)
        users = self.known.users | {u["username"] for u in bundle.users}
        refs = {"centres": centres, "sectors": sectors, "sizes": sizes, "topics": topics, "users": users}
        bundle.refs = refs
        bundle.practice_files, bundle.practice_slugs = self._practices(refs)
        practice_slugs = bundle.practice_slugs
        collections = self._documents("collections")
        self._unique_slugs("collections", collections)
        for name, (meta, body) in collections.items():
            collection = self._collection(name, meta, body, refs, practice_slugs)
            if collection is not None:
                bundle.collections.append(collection)
        bundle.uploads = self._uploads()
        bundle.upload_meta = self._upload_meta({name for name, _ in bundle.uploads}, users)
        bundle.attachments = read_attachments(self.root, self.problems, practice_slugs, users)
        return bundle

    # --- top-level YAML files -----------------------------------------------------------------
    def _yaml_file(self, name: str, *, required: bool) -> Any:
        path = self.root / name
        if not path.exists() and not path.is_symlink():
            if required:
                self.problems.add(name, "-", "file is missing")
            return None
        try:
            return load_yaml(read_text(path))
        except FormatError as error:
            self.problems.add(name, error.field or "-", str(error))
            return None

    def _list_file(self, name: str, *, required: bool) -> list[Any]:
        data = self._yaml_file(name, required=required)
        if data is None:
            return []
        if not isinstance(data, list):
            self.problems.add(name, "-", "must be a list of entries")
            return []
        return data

    def _centres(self) -> list[dict[str, Any]]:
        result, seen = [], set()
        for index, entry in enumerate(self._list_file("centres.yml", required=True)):
            c = Checker(self.problems, "centres.yml", entry, f"[{index}].")
            c.only(("slug", "name", "state", "kind"))
            item = {
                "slug": c.pattern(
                    "slug",
                    SLUG_RE,
                    "slug (lower case words joined by '-')",
                    max_length=column_length(Centre.slug),
                ),
                "name": c.text("name", max_length=column_length(Centre.name)),
                "state": c.pattern("state", STATE_RE, "ISO 3166-2 code such as DE-TH"),
                "kind": c.choice("kind", _values(CentreKind)),
            }
            if item["slug"] in seen:
                c.fail("slug", f"{item['slug']!r} appears twice")
            seen.add(item["slug"])
            if None not in item.values():
                result.append(item)
        return result

    def _taxonomy(self) -> dict[str, Any]:
        file = "taxonomy.yml"
        data = self._yaml_file(file, required=True)
        if data is None:
            return {}
        c = Checker(self.problems, file, data)
        c.only(("sectors", "sizes", "topics", "tag_aliases", "synonyms"))
        taxonomy: dict[str, Any] = {
            "sectors": self._entries(
                file,
                c,
                "sectors",
                "code",
                SECTOR_CODES,
                "a WZ 2008 section (A–U)",
                column_length(Sector.name),
            ),
            "sizes": self._entries(
                file, c, "sizes", "code", SIZE_CODES, "a company size", column_length(CompanySize.name)
            ),
            "topics": self._entries(file, c, "topics", "slug", None, "a slug", column_length(Topic.name)),
            "tag_aliases": {},
            "synonyms": [],
        }
        aliases = c.data.get("tag_aliases") or {}
        if not isinstance(aliases, dict):
            c.fail("tag_aliases", "must map alias to tag")
            aliases = {}
        for alias, tag in aliases.items():
            if not valid_tag(alias):
                c.fail(f"tag_aliases.{alias}", "alias is not a valid tag name")
            elif not valid_tag(tag):
                c.fail(f"tag_aliases.{alias}", f"{tag!r} is not a valid tag name")
            elif alias == tag:
                c.fail(f"tag_aliases.{alias}", "an alias cannot point at itself")
            else:
                taxonomy["tag_aliases"][alias] = tag
        for alias, tag in taxonomy["tag_aliases"].items():
            if tag in taxonomy["tag_aliases"]:
                c.fail(f"tag_aliases.{alias}", f"points at {tag!r}, which is itself an alias")
        for index, group in enumerate(c.items("synonyms", required=False)):
            if (
                not isinstance(group, list)
                or len(group) < 2
                or not all(isinstance(t, str) and t.strip() for t in group)
            ):
                c.fail(f"synonyms[{index}]", "must be a list of at least two terms")
            elif all(c.clean(f"synonyms[{index}]", term, 200) is not None for term in group):
                taxonomy["synonyms"].append([t.strip() for t in group])
        return taxonomy

    def _entries(
        self,
        file: str,
        parent: Checker,
        name: str,
        key: str,
        allowed: tuple[str, ...] | None,
        what: str,
        max_name: int,
    ) -> list[dict[str, str]]:
        result, seen = [], set()
        for index, entry in enumerate(parent.items(name, required=True)):
            c = Checker(self.problems, file, entry, f"{name}[{index}].")
            c.only((key, "name"))
            code = (
                c.choice(key, allowed, what=what)
                if allowed
                else c.pattern(key, SLUG_RE, what, max_length=column_length(Topic.slug))
            )
            label = c.text("name", max_length=max_name)
            if code in seen:
                c.fail(key, f"{code!r} appears twice")
            seen.add(code)
            if code is not None and label is not None:
                result.append({key: code, "name": label})
        return result

    def _users(self, centres: set[str]) -> list[dict[str, Any]]:
        result, seen = [], set()
        for index, entry in enumerate(self._list_file("users.yml", required=False)):
            c = Checker(self.problems, "users.yml", entry, f"[{index}].")
            c.only(("username", "name", "email", "centre", "role"))
            item = {
                "username": c.pattern("username", USERNAME_RE, "user name"),
                "name": c.text("name", max_length=column_length(User.name)),
                # none: a deleted person's account
                "email": c.text("email", max_length=column_length(User.email), empty=True),
                "centre": c.choice("centre", tuple(centres), required=False, what="a known centre"),
                "role": c.choice("role", _values(Role)),
            }
            if item["email"] and "@" not in item["email"]:
                c.fail("email", f"{item['email']!r} is not an e-mail address")
                item["email"] = None
            if item["username"] in seen:
                c.fail("username", f"{item['username']!r} appears twice")
            seen.add(item["username"])
            if None not in (item["username"], item["name"], item["email"], item["role"]):
                result.append(item)
        return result

    def _uploads(self) -> list[tuple[str, str]]:
        """Images in ``uploads/`` (optional): random names as the hub gives them, content checked;
        (name, type) of each (``read_upload`` reads the content again when it is stored)."""
        directory = self._folder("uploads")
        found: list[tuple[str, str]] = []
        if directory is None:
            return found
        for path in sorted(directory.iterdir()):
            name = f"uploads/{path.name}"
            if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
                continue
            if not NAME_RE.match(path.name):
                self.problems.add(name, "-", "not an upload name of the hub (32 hex digits, .png/.jpg/.webp)")
                continue
            image = _image(path, name, self.problems)
            if image is not None:
                found.append((path.name, image[1]))
        return found

    def _folder(self, name: str) -> Path | None:
        """A sub-folder of the content folder, or ``None`` when absent or refused (a link is never
        followed: it could lead anywhere on the importing machine)."""
        path = self.root / name
        if path.is_symlink():
            self.problems.add(name, "-", "is a symbolic link; only real folders are read")
            return None
        return path if path.is_dir() else None

    def _upload_meta(self, files: set[str], users: set[str]) -> dict[str, UploadMeta]:
        """``uploads.yml`` (optional): original file name, uploader and upload time per image."""
        found: dict[str, UploadMeta] = {}
        for index, entry in enumerate(self._list_file(UPLOADS_FILE, required=False)):
            c = Checker(self.problems, UPLOADS_FILE, entry, prefix=f"[{index}].")
            c.only(UPLOAD_KEYS)
            name = c.text("file", max_length=80)
            if name is not None and name not in files and not (self.root / "uploads" / name).is_file():
                c.fail("file", f"{name!r} is not an image in uploads/")
                continue
            if name in found:
                c.fail("file", f"{name!r} is listed twice")
                continue
            meta = UploadMeta(
                original_name=c.text("original_name", required=False, max_length=255) or "",
                uploader=c.choice("uploader", tuple(users), required=False, what="a known user"),
                uploaded=c.timestamp("uploaded", required=True),
            )
            if name is not None:
                found[name] = meta
        return found

    # --- Markdown documents ---------------------------------------------------------------------
    def _practices(self, refs: dict[str, set[str]]) -> tuple[list[str], set[str]]:
        """The first pass over ``practices/``: every file read and checked, one at a time, and let
        go of; returns the files' names and every practice slug of the folder and the hub. Problems
        are listed as if all files had been read first: reading, then taken slugs, then fields."""
        slugs = set(self.known.practices)
        owners: dict[str, str] = {}
        taken, fields = Problems(), Problems()
        later = LaterLinks(fields)
        checker = PracticeChecker(fields, later)
        names = []
        for name, meta, body in self._document_files("practices"):
            slug = self._claim_slug(name, meta, owners, taken)
            if slug is not None:
                slugs.add(slug)
            checker.check(name, meta, body, refs, slugs)  # the data is built again by read_practices
            names.append(name)
        later.settle(slugs)
        self.problems.items.extend(taken.items + fields.items)
        return names, slugs

    def _documents(self, folder: str) -> dict[str, tuple[Any, str]]:
        return {name: (meta, body) for name, meta, body in self._document_files(folder)}

    def _document_files(self, folder: str) -> Iterator[tuple[str, dict[str, Any], str]]:
        """(name, front matter, body) of each document in ``folder``, read as it is taken."""
        directory = self._folder(folder)
        if directory is None:
            return
        for path in sorted(directory.iterdir()):
            name = f"{folder}/{path.name}"
            if path.name.startswith("."):
                continue
            if path.is_dir() and not path.is_symlink():
                self.problems.add(name, "-", f"sub-folders are not read: put its files into {folder}/")
                continue
            if path.suffix != ".md":
                self.problems.add(name, "-", "only .md files belong here")
                continue
            document = _read_document(path, name, self.problems)
            if document is not None:
                yield name, *document

    def _unique_slugs(self, folder: str, documents: dict[str, tuple[Any, str]]) -> None:
        owners: dict[str, str] = {}
        for name, (meta, _body) in documents.items():
            self._claim_slug(name, meta, owners, self.problems)

    @staticmethod
    def _claim_slug(
        name: str, meta: dict[str, Any], owners: dict[str, str], problems: Problems
    ) -> str | None:
        """The document's slug (its key, or its file name) if no document before it has it."""
        slug = meta.get("slug", Path(name).stem)
        if not isinstance(slug, str):
            return None
        if slug in owners:
            problems.add(name, "slug", f"{slug!r} is already used by {owners[slug]}")
            return None
        owners[slug] = name
        return slug

    def _collection(
        self, name: str, meta: dict[str, Any], body: str, refs: dict[str, set[str]], practice_slugs: set[str]
    ) -> dict[str, Any] | None:
        before = len(self.problems.items)
        c = Checker(self.problems, name, meta)
        c.only(COLLECTION_KEYS)
        slug = file_slug(c, name, COLLECTION_SLUGS)
        practices = []
        for value in c.items("practices", required=False):
            if not isinstance(value, str) or value not in practice_slugs:
                c.fail("practices", f"{value!r} is not a practice in this folder or the hub")
            elif value not in practices:
                practices.append(value)
        item = {
            "title": c.text("title", max_length=column_length(Collection.title)),
            "slug": slug,
            "curator": c.choice("curator", tuple(refs["users"]), required=False, what="a known user"),
            "centre": c.choice("centre", tuple(refs["centres"]), required=False, what="a known centre"),
            "visibility": c.choice("visibility", _values(Visibility)),
            "practices": practices,
            "intro": c.clean("body", body, MAX_BODY),
            "search": self._saved_search(name, meta.get("search"), refs) if "search" in meta else None,
        }
        return item if len(self.problems.items) == before else None

    def _saved_search(self, name: str, data: Any, refs: dict[str, set[str]]) -> SavedSearch | None:
        vocabulary = Vocabulary(
            sector=refs["sectors"], size=refs["sizes"], topic=refs["topics"], centre=refs["centres"]
        )
        return check_saved_search(self.problems, name, data, vocabulary, prefix="search.")


def check_saved_search(
    problems: Problems, name: str, data: Any, vocabulary: Vocabulary, *, prefix: str
) -> SavedSearch | None:
    """``{q: "…", sector: [C], …}``: query text and filters with the /search names (a collection's
    ``search:`` key in a folder, its ``saved_search`` in the API)."""
    before = len(problems.items)
    c = Checker(problems, name, data, prefix=prefix)
    c.only(SEARCH_KEYS)
    q = c.text("q", required=False, max_length=200) if "q" in c.data else ""
    filters: dict[str, list[str]] = {}
    for key in FILTER_NAMES:
        for value in c.items(key, required=False):
            if not isinstance(value, str) or not vocabulary.allows(key, value):
                c.fail(key, f"{value!r} is not a known value of this filter")
            else:
                filters.setdefault(key, []).append(value)
    saved = SavedSearch.of(q, filters)
    if saved.empty and len(problems.items) == before:
        c.fail("", "needs a query (q) or at least one filter")
    return None if saved.empty else saved


class PracticeChecker:
    """Checks one practice's front matter (a file of the folder, or an API request body)."""

    def __init__(self, problems: Problems, later: LaterLinks | None = None) -> None:
        self.problems = problems
        self.later = later  # while a folder is read: link targets not seen yet are decided at its end

    def check(
        self, name: str, meta: dict[str, Any], body: str, refs: dict[str, set[str]], practice_slugs: set[str]
    ) -> PracticeData | None:
        before = len(self.problems.items)
        c = Checker(self.problems, name, meta)
        c.only(PRACTICE_KEYS)
        slug = file_slug(c, name, PRACTICE_SLUGS)
        data: dict[str, Any] = dict(  # a None among them was reported as a problem (checked below)
            title=c.text("title", max_length=column_length(Practice.title)),
            slug=slug,
            kind=c.choice("kind", _values(Kind)),
            centre=c.choice("centre", tuple(refs["centres"]), what="a known centre"),
            authors=c.codes("authors", refs["users"], "a known user", required=False),
            summary=c.text("summary", max_length=5000),
            sectors=c.codes("sectors", refs["sectors"], "a WZ 2008 section"),
            sizes=c.codes("sizes", refs["sizes"], "a company size (solo, micro, small, medium)"),
            topics=c.codes("topics", refs["topics"], "a known topic"),
            tags=self._tags(c),
            visibility=c.choice("visibility", _values(Visibility)),
            status=c.choice("status", _values(Status)),
            published=c.date("published"),
            updated=c.date("updated"),
            review_due=c.date("review_due"),
            outcome=self._outcome(name, meta.get("outcome")),
            related=self._related(c, slug, practice_slugs),
            experiences=self._experiences(name, c, refs),
            body=c.clean("body", body, MAX_BODY),
        )
        if len(self.problems.items) > before:
            return None
        return PracticeData(**data)

    def _tags(self, c: Checker) -> list[str]:
        tags = []
        for value in c.items("tags", required=False):
            if not valid_tag(value):
                c.fail("tags", f"{value!r} is not a valid tag (lower case, words joined by '-')")
            elif value not in tags:
                tags.append(value)
        return tags

    def _outcome(self, name: str, value: Any) -> Outcome | None:
        if value is None:
            return None
        c = Checker(self.problems, name, value, "outcome.")
        c.only(("result", "effort_days", "cost_eur"))
        result = c.choice("result", _values(Result))
        effort = c.number("effort_days", below=MAX_EFFORT_DAYS, places=1)
        cost = c.number("cost_eur", below=MAX_COST_EUR)
        return Outcome(result, effort, cost) if result else None  # type: ignore[arg-type]  # number() gives a Decimal with places, an int without

    def _related(self, c: Checker, slug: str | None, practice_slugs: set[str]) -> list[RelatedLink]:
        links = []
        for index, entry in enumerate(c.items("related", required=False)):
            e = Checker(self.problems, c.file, entry, f"related[{index}].")
            e.only(("slug", "type"))
            target = e.pattern("slug", SLUG_RE, "slug")
            link_type = e.choice("type", _values(LinkType))
            if target is not None and target not in practice_slugs:
                problem = e.problem("slug", f"{target!r} is not a practice in this folder or the hub")
                if self.later is not None:
                    self.later.add(target, problem)
                else:
                    self.problems.items.append(problem)
            elif target == slug:
                e.fail("slug", "a practice cannot link to itself")
            elif target and link_type:
                links.append(RelatedLink(target, link_type))
        return links

    def _experiences(self, name: str, c: Checker, refs: dict[str, set[str]]) -> list[Experience]:
        reports = []
        for index, entry in enumerate(c.items("experiences", required=False)):
            e = Checker(self.problems, name, entry, f"experiences[{index}].")
            e.only(("centre", "sector", "size", "result", "date", "note"))
            values: dict[str, Any] = dict(  # used only when none is None (below)
                centre=e.choice("centre", tuple(refs["centres"]), what="a known centre"),
                sector=e.choice("sector", tuple(refs["sectors"]), what="a WZ 2008 section"),
                size=e.choice("size", tuple(refs["sizes"]), what="a company size"),
                result=e.choice("result", _values(Result)),
                date=e.date("date", required=True),
            )
            note = e.text("note", required=False, max_length=MAX_NOTE, empty=True)
            if note is not None and None not in values.values():
                reports.append(Experience(**values, note=note))
        return reports


def file_slug(c: Checker, name: str, rule: SlugRule) -> str | None:
    """A document's slug: its ``slug:`` key, or else its file name ``<slug>.md`` — the key is
    optional and defaults to the file name (CONTENT-FORMAT.md). A folder written by hand may name
    its files otherwise (``01-tischlerei.md`` with ``slug: ki-angebote-tischlerei``); exports always
    write ``<slug>.md``. Outside a folder (an API request) the ``slug:`` key alone counts. A slug
    the hub's own pages take (``new`` …) is refused (``rule.reserved``)."""
    if c.present("slug", required=not name.endswith(".md")):
        slug = c.text("slug", max_length=rule.max_length)
        problem = rule.problem(slug) if slug is not None else None
        if problem is not None:
            c.fail("slug", f"{slug!r} {problem}")
        return slug if problem is None else None
    if not name.endswith(".md"):
        return None
    stem = Path(name).stem
    problem = rule.problem(stem)
    if problem is not None:
        c.fail("slug", f"no slug: key, and the file name {stem!r} {problem}")
        return None
    return stem
