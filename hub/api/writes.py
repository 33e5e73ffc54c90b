"""REST API v1 — write side: practices (create, update with If-Match, transitions) and experience reports.

Request bodies use the field names of CONTENT-FORMAT.md and are checked by the same rules as an
import (``hub.exchange.reader.PracticeChecker``); every change goes through the operations layer.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Response, jsonify, request, url_for
from flask_login import current_user

from hub.api.problems import problem
from hub.api.serialize import collection_json, experience_json
from hub.api.v1 import bp, practice_body, visible_practice
from hub.collections import operations as collections_ops
from hub.collections.queries import collection_practices, get_collection
from hub.exchange.fields import Checker, Problems
from hub.exchange.reader import PracticeChecker, check_saved_search
from hub.extensions import db
from hub.fields import COLLECTION_SLUGS, MAX_BODY, column_length
from hub.filters import FILTER_NAMES
from hub.models import Centre, Collection, ExperienceReport, Practice
from hub.practices import experiences as reports
from hub.practices import workflow
from hub.practices.data import PracticeData
from hub.practices.operations import (
    Conflict,
    FieldsRefused,
    SlugTaken,
    create_practice,
    free_slug,
    practice_data,
    update_practice,
)
from hub.practices.queries import get_practice
from hub.saved_searches.criteria import SavedSearch, Vocabulary
from hub.visibility import visible_clause
from hub.vocabulary import Result, Status
from hub.vocabulary.stored import Known, known_to_hub

_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')
MAX_MESSAGE = 500  # characters of a revision message, as in the editor
MAX_COMMENT = 5000  # characters of a workflow comment


def _body() -> dict[str, Any] | Response:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return problem(400, "Send a JSON object (Content-Type: application/json).")
    return data


def _errors(problems: Problems) -> Response:
    errors: dict[str, list[str]] = {}
    for item in problems.items:
        errors.setdefault(item.field, []).append(item.message)
    return problem(422, f"{len(problems.items)} problem(s) in the request body", errors=errors)


def _refused(refused: FieldsRefused) -> Response:
    errors = {name: [why] for name, why in refused.fields.items()}
    return problem(403, "Your role does not allow setting these fields so.", errors=errors)


def _text(body: dict[str, Any], name: str, max_length: int) -> str | Response:
    """An optional text field besides the practice (revision message, workflow comment), checked
    like the practice's own text: text, not too long, no control characters."""
    problems = Problems()
    value = Checker(problems, "request", {name: body.get(name)}).text(
        name, required=False, max_length=max_length, empty=True
    )
    if problems or value is None:
        return _errors(problems)
    return value


def _practice_data(body: dict[str, Any], *, slug: str, status: str) -> PracticeData | Response:
    meta = dict(body)
    meta.pop("message", None)  # the revision message, not part of the practice (``_text``)
    if "experiences" in meta:
        return problem(
            422, "Experience reports have their own endpoints.", errors={"experiences": ["not allowed here"]}
        )
    text = meta.pop("body", "")
    if not isinstance(text, str):
        return problem(422, "body must be Markdown text", errors={"body": ["must be text"]})
    text = text.replace("\r\n", "\n")  # Windows line endings, as a content folder's are read
    meta.setdefault("slug", slug)
    meta.setdefault("status", status)
    if meta["status"] != status:
        return problem(
            422, "Change the status with POST …/transitions.", errors={"status": [f"must be {status!r}"]}
        )
    known = known_to_hub()
    refs = {"centres": known.centres, "sectors": known.sectors, "sizes": known.sizes, "topics": known.topics,
            "users": known.users}
    problems = Problems()
    own = {meta["slug"]} if isinstance(meta["slug"], str) else set()
    # related links may name only practices the writer may see: a hidden one is as unknown as none
    visible = set(db.session.scalars(sa.select(Practice.slug).where(visible_clause(current_user))))
    data = PracticeChecker(problems).check("request", meta, text, refs, visible | own)
    if problems or data is None:
        return _errors(problems)
    return data


def _slug_not_available(slug: str) -> Response:
    """The same answer whether the slug belongs to a practice the writer may see, to a hidden one,
    or to an old address kept for redirects: nothing about hidden practices leaks."""
    return problem(422, "slug not available", errors={"slug": [f"{slug!r} is not available; choose another"]})


def _practice_response(slug: str, status: int = 200) -> Response:
    practice = get_practice(current_user, slug)
    assert practice is not None  # just written by this caller
    response = jsonify(practice_body(practice))
    response.status_code = status
    response.headers["ETag"] = f'"{practice.head_revision_id}"'
    response.headers["Location"] = url_for("api.practice", slug=practice.slug, _external=True)
    return response


@bp.post("/practices")
def create() -> Response:
    body = _body()
    if isinstance(body, Response):
        return body
    title = given if isinstance(given := body.get("title"), str) else ""
    data = _practice_data(body, slug=free_slug(title), status=Status.DRAFT.value)
    if isinstance(data, Response):
        return data
    message = _text(body, "message", MAX_MESSAGE)
    if isinstance(message, Response):
        return message
    try:
        practice = create_practice(current_user, data, message)
    except FieldsRefused as refused:
        db.session.rollback()
        return _refused(refused)
    except SlugTaken:
        return _slug_not_available(data.slug)
    db.session.commit()
    return _practice_response(practice.slug, 201)


@bp.put("/practices/<slug>")
def update(slug: str) -> Response:
    practice = visible_practice(slug)
    if isinstance(practice, Response):
        return practice
    match = _ETAG.match(request.headers.get("If-Match", "").strip())
    if match is None:
        return problem(
            428, 'Send If-Match: "<revision id>" from the ETag of GET, so no change is overwritten.'
        )
    body = _body()
    if isinstance(body, Response):
        return body
    data = _practice_data(body, slug=practice.slug, status=practice.status.value)
    if isinstance(data, Response):
        return data
    data.experiences = practice_data(practice).experiences
    message = _text(body, "message", MAX_MESSAGE)
    if isinstance(message, Response):
        return message
    try:
        update_practice(current_user, practice, data, message, base_revision_id=int(match.group(1)))
    except FieldsRefused as refused:
        db.session.rollback()
        return _refused(refused)
    except Conflict as conflict:
        db.session.rollback()
        head = conflict.head
        return problem(409, "Someone saved this practice since your version; fetch it again and merge.",
                       current_revision=head.id if head else None,
                       current_revision_number=head.number if head else None)
    except SlugTaken:
        db.session.rollback()
        return _slug_not_available(data.slug)
    db.session.commit()
    return _practice_response(data.slug)


@bp.post("/practices/<slug>/transitions")
def transition(slug: str) -> Response:
    practice = visible_practice(slug)
    if isinstance(practice, Response):
        return practice
    body = _body()
    if isinstance(body, Response):
        return body
    step = body.get("transition")
    if not isinstance(step, str) or step not in {t.value for t in workflow.Transition}:
        choices = ", ".join(t.value for t in workflow.Transition)
        return problem(422, "unknown transition", errors={"transition": [f"one of {choices}"]})
    comment = _text(body, "comment", MAX_COMMENT)
    if isinstance(comment, Response):
        return comment
    try:
        workflow.transition(current_user, practice, step, comment)
    except workflow.InvalidTransition as error:
        db.session.rollback()
        return problem(409, str(error))
    db.session.commit()
    return _practice_response(practice.slug)


def _report_data() -> reports.ReportData | Response:
    """The experience report in the request body, or the problem with it."""
    body = _body()
    if isinstance(body, Response):
        return body
    problems = Problems()
    c = Checker(problems, "request", body)
    c.only(("centre", "sector", "size", "result", "date", "note"))
    known = known_to_hub()
    values: dict[str, Any] = {  # each None was reported as a problem (answered below)
        "centre": c.choice("centre", tuple(known.centres), what="a known centre"),
        "sector": c.choice("sector", tuple(known.sectors), what="a WZ 2008 section"),
        "size": c.choice("size", tuple(known.sizes), what="a company size"),
        "result": c.choice("result", tuple(r.value for r in Result)),
        "date": c.date("date") or date.today(),
    }
    note = body.get("note", "")
    if not isinstance(note, str) or len(note) > 5000:
        c.fail("note", "must be text of at most 5000 characters")
    if problems:
        return _errors(problems)
    centre_id = db.session.scalar(sa.select(Centre.id).where(Centre.slug == values["centre"]))
    assert centre_id is not None  # a known centre (checked above)
    return reports.ReportData(centre_id, values["sector"], values["size"], values["result"], values["date"],
                              note.strip())


@bp.post("/practices/<slug>/experiences")
def add_report(slug: str) -> Response:
    practice = visible_practice(slug)
    if isinstance(practice, Response):
        return practice
    data = _report_data()
    if isinstance(data, Response):
        return data
    try:
        report = reports.add_experience(current_user, practice, data)
    except FieldsRefused as refused:
        return _refused(refused)
    except reports.NotPublished:
        return problem(409, "Experience reports can only be added to published practices.")
    db.session.commit()
    response = jsonify(experience_json(report))
    response.status_code = 201
    return response


def _own_report(report_id: int) -> ExperienceReport | Response:
    report = db.session.get(ExperienceReport, report_id)
    if report is None or get_practice(current_user, report.practice.slug) is None:
        return problem(404, "No such experience report.")
    return report


@bp.put("/experiences/<int:report_id>")
def update_report(report_id: int) -> Response:
    report = _own_report(report_id)
    if isinstance(report, Response):
        return report
    data = _report_data()
    if isinstance(data, Response):
        return data
    try:
        reports.update_experience(current_user, report, data)
    except FieldsRefused as refused:
        db.session.rollback()
        return _refused(refused)
    db.session.commit()
    return jsonify(experience_json(report))


@bp.delete("/experiences/<int:report_id>")
def delete_report(report_id: int) -> Response:
    report = _own_report(report_id)
    if isinstance(report, Response):
        return report
    reports.delete_experience(current_user, report)
    db.session.commit()
    return Response(status=204)


# --- collections ---------------------------------------------------------------------------------
KEEP = object()  # no ``saved_search`` in the body: the collection keeps the one it has


def _collection_data(
    body: dict[str, Any], slug: str | None
) -> tuple[collections_ops.CollectionData, SavedSearch | object | None] | Response:
    """The collection in the body and its saved search (``None``: remove it; ``KEEP``: unchanged)."""
    problems = Problems()
    c = Checker(problems, "request", body)
    c.only(("title", "slug", "visibility", "intro", "centre", "practices", "saved_search"))
    known = known_to_hub()
    title = c.text("title", max_length=column_length(Collection.title))
    new_slug = _collection_slug(c, body, slug, title)
    visibility = c.choice("visibility", ("public", "internal"))
    centre = c.choice("centre", tuple(known.centres), required=False, what="a known centre")
    intro = body.get("intro", "")
    if not isinstance(intro, str):
        c.fail("intro", "must be Markdown text")
        intro = ""
    intro = c.clean("intro", intro.replace("\r\n", "\n"), MAX_BODY) or ""
    c.codes("practices", known.practices, "a practice", required=False)
    saved = _saved_search(problems, body["saved_search"], known) if "saved_search" in body else KEEP
    if problems:
        return _errors(problems)
    assert title is not None and visibility is not None  # else a problem was reported
    return collections_ops.CollectionData(title, new_slug, visibility, intro, centre), saved


def _collection_slug(c: Checker, body: dict[str, Any], current: str | None, title: str | None) -> str:
    """The ``slug`` of the body (checked), else the collection's own, else one made from the title."""
    if body.get("slug") is None:
        return current or COLLECTION_SLUGS.make(title or "")
    slug = c.text("slug", required=False, max_length=COLLECTION_SLUGS.max_length) or ""
    problem = COLLECTION_SLUGS.problem(slug) if slug else None
    if problem is not None:
        c.fail("slug", f"{slug!r} {problem}")
    return slug


def _saved_search(problems: Problems, data: Any, known: Known) -> SavedSearch | None:
    """``{"q": "…", "filters": {"sector": ["C"], …}}`` as in the responses, or ``null`` for none."""
    if data is None:
        return None
    c = Checker(problems, "request", data, prefix="saved_search.")
    c.only(("q", "filters"))
    filters = c.data.get("filters", {})
    if not isinstance(filters, dict):
        c.fail("filters", "must map filter names to lists of values")
        filters = {}
    unknown = sorted(str(name) for name in filters.keys() - set(FILTER_NAMES))
    if unknown:
        c.fail("filters", f"unknown filter(s) {', '.join(unknown)}; known are {', '.join(FILTER_NAMES)}")
    vocabulary = Vocabulary.of(known)
    flat = {name: values for name, values in filters.items() if name in FILTER_NAMES}
    if "q" in c.data:
        flat["q"] = c.data["q"]
    return check_saved_search(problems, "request", flat, vocabulary, prefix="saved_search.")


def _collection_response(slug: str, status: int = 200) -> Response:
    item = get_collection(current_user, slug)
    assert item is not None  # just written by this caller
    response = jsonify(collection_json(item, [p.slug for p in collection_practices(current_user, item)]))
    response.status_code = status
    response.headers["Location"] = url_for("api.collection", slug=slug, _external=True)
    return response


def _set_practices(collection: Any, slugs: list[str]) -> None:
    """Make the collection hold exactly these practices (those the caller may see), in this order."""
    stmt = sa.select(Practice.slug, Practice.id).where(Practice.slug.in_(slugs), visible_clause(current_user))
    visible = dict(db.session.execute(stmt).tuples().all())
    wanted = [visible[slug] for slug in dict.fromkeys(slugs) if slug in visible]
    seeable = set(db.session.scalars(sa.select(Practice.id).where(visible_clause(current_user))))
    for item in list(collection.items):
        if item.practice_id in seeable and item.practice_id not in wanted:
            collections_ops.remove_practice(current_user, collection, item.practice_id)
    present = {item.practice_id for item in collection.items}
    for practice_id in wanted:
        if practice_id not in present:
            collections_ops.add_practice(current_user, collection, db.session.get_one(Practice, practice_id))
    for index, practice_id in enumerate(wanted):
        order = [item.practice_id for item in sorted(collection.items, key=lambda i: i.position)]
        collections_ops.move_practice(current_user, collection, practice_id, index - order.index(practice_id))


@bp.post("/collections")
def create_collection() -> Response:
    body = _body()
    if isinstance(body, Response):
        return body
    checked = _collection_data(body, None)
    if isinstance(checked, Response):
        return checked
    data, saved = checked
    try:
        collection = collections_ops.create_collection(current_user, data)
        db.session.flush()
        _set_practices(collection, list(body.get("practices") or []))
        if saved is not KEEP:
            collections_ops.set_saved_search(current_user, collection, saved)  # type: ignore[arg-type]  # not KEEP: a SavedSearch or None
    except collections_ops.CollectionError as error:
        db.session.rollback()
        return problem(422, str(error), errors={"slug": [str(error)]})
    db.session.commit()
    return _collection_response(collection.slug, 201)


@bp.put("/collections/<slug>")
def update_collection(slug: str) -> Response:
    collection = get_collection(current_user, slug)
    if collection is None:
        return problem(404, f"No collection {slug!r} that you may see.")
    body = _body()
    if isinstance(body, Response):
        return body
    checked = _collection_data(body, collection.slug)
    if isinstance(checked, Response):
        return checked
    data, saved = checked
    try:
        collections_ops.update_collection(current_user, collection, data)
        if "practices" in body:
            _set_practices(collection, list(body["practices"]))
        if saved is not KEEP:
            collections_ops.set_saved_search(current_user, collection, saved)  # type: ignore[arg-type]  # not KEEP: a SavedSearch or None
    except collections_ops.CollectionError as error:
        db.session.rollback()
        return problem(422, str(error), errors={"slug": [str(error)]})
    db.session.commit()
    return _collection_response(collection.slug)
