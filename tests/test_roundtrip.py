"""Export/import round trip for content we have not seen: generated folders come back value for value.

Hypothesis writes content folders the way a person or another tool would (PyYAML's own dumper for the
front matter, the Markdown body as raw text) with awkward text everywhere. Each folder is imported into
an empty hub, which must then hold exactly what the folder says; its export is imported into a second
empty hub and exported again, which must give the same bytes.

What the hub normalises on purpose (README, "Import"), and the only differences allowed here:
- one-line text fields, summaries, names and experience notes lose surrounding white space (``str.strip``);
- a Markdown body or collection intro loses leading and trailing blank lines (lines of spaces and tabs);
- CRLF line endings and a leading byte order mark are read as LF and nothing (tests/test_import.py);
- a practice published without a ``published`` date gets the day of the import (CONTENT-FORMAT.md);
- a collection without ``centre`` belongs to its curator's centre;
- lists the format treats as sets (sectors, sizes, topics, tags, authors) come back in the hub's order,
  experience reports by date (reports of the same day in the order of the file).
Control characters other than tab and line feed are refused by field (tests/test_import.py).
"""

from __future__ import annotations

import filecmp
import itertools
import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from flask import Flask
from flask_migrate import upgrade
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hub.exchange.exporter import export_folder
from hub.exchange.importer import import_folder
from hub.exchange.yamlio import markdown_body
from hub.extensions import db
from hub.models import Centre, Collection, CompanySize, Practice, Sector, SynonymGroup, TagAlias, Topic, User
from hub.practices.operations import practice_data
from hub.search.sync import get_index
from hub.vocabulary import SIZE_CODES, CentreKind, Kind, LinkType, Result, Role, Status, Visibility

AWKWARD = [
    "yes", "no", "null", "~", "1e3", "0x10", "2025-01-01", "'quoted'", '"double"', "key: value", "# comment",
    "- item", "*", "&anchor", "!tag", "%", "@", "`code`", "---", "...", "[[ki-grundlagen]]", "[[a|Linktext]]",
    "{a: b}", "[x, y]", "|", ">", "\\", "ä ö ü ß", "👩‍🔧", "e\u0301", "\u00a0", "\u200f", "\u202e", "\u2028",
    "\ufeff", "\t", " ", "  ", "x" * 3000,
]
SHRINK = os.environ.get("HUB_TEST_SHRINK") == "1"  # shrinking a failure takes minutes; off by default
EXAMPLES = int(os.environ.get("HUB_TEST_EXAMPLES", "25"))  # two fresh hubs each: about 1.5 s per example
CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs"))  # refused with a named error instead


def _pieces(*, line_breaks: bool, min_size: int = 0) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(AWKWARD), st.text(CHARACTERS, max_size=12))
    if line_breaks:
        pieces = st.one_of(pieces, st.sampled_from(["\n", "\n\n", "  \n", "\n---\n", "\n\t\n"]))
    return st.lists(pieces, min_size=min_size, max_size=6).map("".join)


def _text(max_length: int, *, line_breaks: bool = False) -> st.SearchStrategy[str]:
    return _pieces(line_breaks=line_breaks, min_size=1).filter(lambda t: t.strip() and len(t) <= max_length)


MARKDOWN = _pieces(line_breaks=True)  # may be empty, may start and end with blank lines
ONE_LINE = _text(200)
PARAGRAPH = _text(2000, line_breaks=True)
TAGS = st.from_regex(r"[a-z0-9äöüß]{1,8}(-[a-z0-9äöüß]{1,8}){0,2}", fullmatch=True)
DATES = st.dates(date(1990, 1, 1), date(2040, 12, 31))  # review_due may lie in the past
EFFORT = st.decimals(0, 9_999_999, places=1, allow_nan=False, allow_infinity=False)


@st.composite
def content_folders(draw: st.DrawFn) -> dict[str, Any]:
    centres = [
        {"slug": f"zz-{i}", "name": draw(ONE_LINE), "state": draw(st.sampled_from(["DE-TH", "DE-BE", "DE-SN"])),
         "kind": draw(st.sampled_from([k.value for k in CentreKind]))}
        for i in range(draw(st.integers(1, 3)))
    ]
    taxonomy = {
        "sectors": [{"code": code, "name": draw(ONE_LINE)} for code in draw(st.sets(st.sampled_from("ACFQ"), min_size=1))],
        "sizes": [{"code": code, "name": draw(ONE_LINE)} for code in SIZE_CODES],
        "topics": [{"slug": f"thema-{i}", "name": draw(ONE_LINE)} for i in range(draw(st.integers(1, 3)))],
        "tag_aliases": draw(st.dictionaries(
            TAGS.map(lambda t: f"alias-{t}"), TAGS.filter(lambda t: not t.startswith("alias-")), max_size=2
        )),
        "synonyms": draw(st.lists(st.lists(ONE_LINE, min_size=2, max_size=3), max_size=2)),
    }
    users = draw(st.none() | st.lists(st.fixed_dictionaries({
        "name": ONE_LINE, "email": ONE_LINE.map(lambda t: f"{t.strip()}@example.org"),
        "centre": st.sampled_from([None] + [c["slug"] for c in centres]),
        "role": st.sampled_from([r.value for r in Role]),
    }), min_size=1, max_size=2))
    usernames = [f"nutzer.{i}" for i in range(len(users or []))]
    for username, user in zip(usernames, users or [], strict=True):
        user["username"] = username
    slugs = [f"praxis-{i}" for i in range(draw(st.integers(1, 3)))]
    practices = [draw(_practice(slug, slugs, centres, taxonomy, usernames)) for slug in slugs]
    collections = [
        {"slug": f"sammlung-{i}", "title": draw(ONE_LINE), "intro": draw(MARKDOWN),
         "curator": draw(st.sampled_from([None, *usernames])),
         "visibility": draw(st.sampled_from([v.value for v in Visibility])),
         "practices": draw(st.permutations(slugs).map(lambda p: p[: len(p) // 2 + 1]))}
        for i in range(draw(st.integers(0, 2)))
    ]
    return {"centres": centres, "taxonomy": taxonomy, "users": users, "practices": practices,
            "collections": collections}


@st.composite
def _practice(draw: st.DrawFn, slug: str, slugs: list[str], centres: list[dict[str, Any]],
              taxonomy: dict[str, Any], usernames: list[str]) -> dict[str, Any]:
    def some(values: list[str], min_size: int = 1) -> list[str]:
        return draw(st.lists(st.sampled_from(values), min_size=min_size, max_size=3, unique=True))

    aliases = set(taxonomy["tag_aliases"])
    front: dict[str, Any] = {
        "title": draw(_text(300)), "slug": slug, "kind": draw(st.sampled_from([k.value for k in Kind])),
        "centre": draw(st.sampled_from([c["slug"] for c in centres])),
        "authors": some(usernames, 0) if usernames else [],
        "summary": draw(_text(5000, line_breaks=True)),
        "sectors": some([s["code"] for s in taxonomy["sectors"]]), "sizes": some(list(SIZE_CODES)),
        "topics": some([t["slug"] for t in taxonomy["topics"]]),
        "tags": draw(st.lists(TAGS.filter(lambda t: t not in aliases), max_size=3, unique=True)),
        "visibility": draw(st.sampled_from([v.value for v in Visibility])),
        "status": draw(st.sampled_from([s.value for s in Status])),
    }
    for name in ("published", "updated", "review_due"):
        if draw(st.booleans()):
            front[name] = draw(DATES)
    if draw(st.booleans()):
        outcome: dict[str, Any] = {"result": draw(st.sampled_from([r.value for r in Result]))}
        if draw(st.booleans()):
            outcome["effort_days"] = float(draw(EFFORT))
        if draw(st.booleans()):
            outcome["cost_eur"] = draw(st.integers(0, 2**31 - 1))
        front["outcome"] = outcome
    others = [s for s in slugs if s != slug]
    if others:
        targets = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        front["related"] = [{"slug": t, "type": draw(st.sampled_from([k.value for k in LinkType]))} for t in targets]
    front["experiences"] = draw(st.lists(st.fixed_dictionaries({
        "centre": st.sampled_from([c["slug"] for c in centres]),
        "sector": st.sampled_from([s["code"] for s in taxonomy["sectors"]]),
        "size": st.sampled_from(SIZE_CODES), "result": st.sampled_from([r.value for r in Result]),
        "date": DATES, "note": st.just("") | PARAGRAPH,
    }), max_size=2))
    for optional in ("authors", "tags", "related", "experiences"):
        if not front.get(optional, True) and draw(st.booleans()):
            del front[optional]  # empty or absent: both allowed
    return {"front": front, "body": draw(MARKDOWN)}


# --- writing a generated folder as an outside tool would --------------------------------------------


def _dump(data: Any, style: tuple[int, bool | None]) -> str:
    """YAML as PyYAML writes it: folded at ``width``, block or flow style, keys in any order."""
    width, flow = style
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=flow is None, width=width, default_flow_style=flow)


def write_folder(root: Path, content: dict[str, Any], style: tuple[int, bool | None]) -> None:
    (root / "practices").mkdir(parents=True)
    (root / "centres.yml").write_text(_dump(content["centres"], style), "utf-8")
    (root / "taxonomy.yml").write_text(_dump(content["taxonomy"], style), "utf-8")
    if content["users"] is not None:
        (root / "users.yml").write_text(_dump(content["users"], style), "utf-8")
    for practice in content["practices"]:
        text = f"---\n{_dump(practice['front'], style)}---\n{practice['body']}"
        (root / "practices" / f"{practice['front']['slug']}.md").write_text(text, "utf-8")
    if content["collections"]:
        (root / "collections").mkdir()
    for collection in content["collections"]:
        front = {k: v for k, v in collection.items() if k != "intro" and v is not None}
        text = f"---\n{_dump(front, style)}---\n{collection['intro']}"
        (root / "collections" / f"{collection['slug']}.md").write_text(text, "utf-8")


# --- what the hub must hold afterwards ---------------------------------------------------------------


def expected_state(content: dict[str, Any], today: date) -> dict[str, Any]:
    user_centres = {u["username"]: u["centre"] for u in content["users"] or []}
    return {
        "centres": [{**c, "name": c["name"].strip()} for c in content["centres"]],
        "sectors": {s["code"]: s["name"].strip() for s in content["taxonomy"]["sectors"]},
        "sizes": [(s["code"], s["name"].strip()) for s in content["taxonomy"]["sizes"]],
        "topics": [(t["slug"], t["name"].strip()) for t in content["taxonomy"]["topics"]],
        "tag_aliases": content["taxonomy"]["tag_aliases"],
        "synonyms": [[t.strip() for t in g] for g in content["taxonomy"]["synonyms"]],
        "users": sorted(
            ({**u, "name": u["name"].strip(), "email": u["email"].strip()} for u in content["users"] or []),
            key=lambda u: u["username"],
        ),
        "practices": {p["front"]["slug"]: _expected_practice(p, today) for p in content["practices"]},
        "collections": {
            c["slug"]: {
                "title": c["title"].strip(), "intro": markdown_body(c["intro"]), "curator": c["curator"],
                "centre": user_centres.get(c["curator"]), "visibility": c["visibility"],
                "practices": list(c["practices"]),
            }
            for c in content["collections"]
        },
    }


def _expected_practice(practice: dict[str, Any], today: date) -> dict[str, Any]:
    front = practice["front"]
    outcome = front.get("outcome")
    published = front.get("published") or (today if front["status"] == Status.PUBLISHED else None)
    return {
        "title": front["title"].strip(), "kind": front["kind"], "centre": front["centre"],
        "authors": set(front.get("authors", [])), "summary": front["summary"].strip(),
        "sectors": set(front["sectors"]), "sizes": set(front["sizes"]), "topics": set(front["topics"]),
        "tags": set(front.get("tags", [])), "visibility": front["visibility"], "status": front["status"],
        "published": published, "updated": front.get("updated"), "review_due": front.get("review_due"),
        "outcome": outcome and (
            outcome["result"],
            Decimal(str(outcome["effort_days"])) if "effort_days" in outcome else None,
            outcome.get("cost_eur"),
        ),
        "related": [(r["slug"], r["type"]) for r in front.get("related", [])],
        "experiences": [
            (e["centre"], e["sector"], e["size"], e["result"], e["date"], e["note"].strip())
            for e in sorted(front.get("experiences", []), key=lambda e: e["date"])
        ],
        "body": markdown_body(practice["body"]),
    }


def hub_state() -> dict[str, Any]:
    """Everything the format carries, read from the database (not from an export)."""
    practices = {}
    for practice in db.session.scalars(sa.select(Practice)):
        data = practice_data(practice)
        outcome = data.outcome and (data.outcome.result, data.outcome.effort_days, data.outcome.cost_eur)
        practices[data.slug] = {
            "title": data.title, "kind": data.kind, "centre": data.centre, "authors": set(data.authors),
            "summary": data.summary, "sectors": set(data.sectors), "sizes": set(data.sizes),
            "topics": set(data.topics), "tags": set(data.tags), "visibility": data.visibility,
            "status": data.status, "published": data.published, "updated": data.updated,
            "review_due": data.review_due, "outcome": outcome,
            "related": [(r.slug, r.type) for r in data.related],
            "experiences": [(e.centre, e.sector, e.size, e.result, e.date, e.note) for e in data.experiences],
            "body": data.body,
        }
    return {
        "centres": [
            {"slug": c.slug, "name": c.name, "state": c.state, "kind": c.kind.value}
            for c in db.session.scalars(sa.select(Centre).order_by(Centre.position))
        ],
        "sectors": {s.code: s.name for s in db.session.scalars(sa.select(Sector))},
        "sizes": [(s.code, s.name) for s in db.session.scalars(sa.select(CompanySize).order_by(CompanySize.position))],
        "topics": [(t.slug, t.name) for t in db.session.scalars(sa.select(Topic).order_by(Topic.position))],
        "tag_aliases": {a.alias: a.tag.name for a in db.session.scalars(sa.select(TagAlias))},
        "synonyms": [g.terms for g in db.session.scalars(sa.select(SynonymGroup).order_by(SynonymGroup.position))],
        "users": [
            {"name": u.name, "email": u.email, "centre": u.centre.slug if u.centre else None,
             "role": u.role.value, "username": u.username}
            for u in sorted(db.session.scalars(sa.select(User)), key=lambda u: u.username)
        ],
        "practices": practices,
        "collections": {
            c.slug: {
                "title": c.title, "intro": c.intro, "curator": c.curator.username if c.curator else None,
                "centre": c.centre.slug if c.centre else None, "visibility": c.visibility.value,
                "practices": [item.practice.slug for item in c.items],
            }
            for c in db.session.scalars(sa.select(Collection))
        },
    }


# --- the round trip ----------------------------------------------------------------------------------


def differences(got: Any, wanted: Any, path: str = "") -> list[str]:
    """Where two states differ, as ``path: got != wanted`` (readable even for a huge example)."""
    if isinstance(got, dict) and isinstance(wanted, dict):
        return [
            line
            for key in sorted(set(got) | set(wanted), key=str)
            for line in differences(got.get(key), wanted.get(key), f"{path}.{key}")
        ]
    if isinstance(got, list) and isinstance(wanted, list) and len(got) == len(wanted):
        return [line for i, pair in enumerate(zip(got, wanted, strict=True)) for line in differences(*pair, f"{path}[{i}]")]
    return [] if got == wanted else [f"{path}: {got!r} != {wanted!r}"]


def _same_files(left: Path, right: Path) -> None:
    def files(folder: Path) -> list[str]:
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())

    assert files(left) == files(right)
    for name in files(left):
        assert filecmp.cmp(left / name, right / name, shallow=False), name


def _import_and_export(app: Flask, source: Path, target: Path) -> dict[str, Any]:
    with app.test_request_context():
        upgrade()
        import_folder(source)
        state = hub_state()
        export_folder(target)
    get_index(app).close()
    with app.app_context():
        db.engine.dispose()  # a fresh hub per example: do not keep its connections open
    return state


def test_generated_folders_survive_import_and_export(fresh_app_factory, tmp_path):
    run = itertools.count()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
              phases=[Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] if SHRINK else [])])
    @given(content=content_folders(), style=st.tuples(st.sampled_from([40, 80, 10**6]), st.sampled_from([False, None, True])))
    def round_trip(content: dict[str, Any], style: tuple[int, bool | None]) -> None:
        n = next(run)
        folder, first, second = (tmp_path / f"{n}-{name}" for name in ("generated", "first", "second"))
        write_folder(folder, content, style)
        imported = _import_and_export(fresh_app_factory(f"{n}-a"), folder, first)
        today = date.today()
        expected = expected_state(content, today)
        if imported != expected and expected_state(content, today - timedelta(days=1)) == imported:
            expected = imported  # the import ran across midnight
        assert not differences(imported, expected)
        assert not differences(_import_and_export(fresh_app_factory(f"{n}-b"), first, second), imported)
        _same_files(first, second)

    round_trip()
