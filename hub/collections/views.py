"""Collection pages and curating them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from hub.auth.permissions import Action, can, is_privileged
from hub.collections import operations
from hub.collections.forms import AddPracticeForm, CollectionForm, DeleteForm, ItemForm
from hub.collections.queries import (
    appended_practices,
    collection_practices,
    get_collection,
    practice_counts,
    saved_search,
    visible_collections,
)
from hub.extensions import db
from hub.fields import COLLECTION_SLUGS
from hub.markdown import render
from hub.models import Centre, Collection, Practice, Tag
from hub.practices.queries import link_resolver
from hub.saved_searches.criteria import SavedSearch
from hub.saved_searches.labels import describe as describe_search
from hub.saved_searches.labels import search_url
from hub.saved_searches.results import APPENDED_LIMIT
from hub.search import value_labels
from hub.visibility import visible_clause
from hub.vocabulary import GERMAN_STATES, Kind, Result, label, stored

bp = Blueprint("collections", __name__, url_prefix="/collections")


@bp.get("/")
def index() -> str:
    return render_template(
        "collections/index.html",
        collections=visible_collections(current_user),
        counts=practice_counts(current_user),
    )


@bp.get("/<slug>")
def detail(slug: str) -> str:
    collection = _visible_or_404(slug)
    practices = collection_practices(current_user, collection)
    saved = saved_search(collection)
    return render_template(
        "collections/detail.html",
        collection=collection,
        intro=render(collection.intro, link_resolver(current_user)),
        practices=practices,
        saved=saved,
        saved_label=describe_search(saved) if saved else "",
        saved_url=search_url(saved) if saved else "",
        appended=appended_practices(current_user, collection, practices),
        appended_limit=APPENDED_LIMIT,
        editable=can(current_user, Action.MANAGE_COLLECTIONS, collection),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    if not can(current_user, Action.MANAGE_COLLECTIONS):
        abort(403)
    form = _form()
    if form.validate_on_submit():
        saved = _save(form, lambda: operations.create_collection(current_user, _data(form)))
        if saved is not None:
            return saved
    return _form_page(form, None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    collection = _editable_or_403(slug)
    form = _form(obj=collection)
    if request.method == "GET" or "centre" not in request.form:  # not shown to a contributor: theirs
        form.centre.data = collection.centre.slug if collection.centre else ""
    if request.method == "GET":
        _fill_saved_search(form, saved_search(collection))
    if form.validate_on_submit():
        saved = _save(form, lambda: operations.update_collection(current_user, collection, _data(form)))
        if saved is not None:
            return saved
    return _form_page(form, collection)


def _save(form: CollectionForm, write: Callable[[], Collection]) -> Response | None:
    """Create or update through ``write``, with the form's saved search, and commit: the redirect to
    the edit page, or None with the errors on the form and nothing written."""
    try:
        collection = write()
        operations.set_saved_search(current_user, collection, _saved_search(form))
        db.session.commit()
    except operations.InvalidSavedSearch as error:
        db.session.rollback()
        _search_errors(form, error)
    except operations.CollectionError as error:
        db.session.rollback()
        form.slug.errors = [*form.slug.errors, _translate(error)]
    else:
        flash(_("Saved."), "success")
        return redirect(url_for("collections.edit", slug=collection.slug))
    return None


@bp.post("/<slug>/practices")
@login_required
def add(slug: str) -> Response:
    collection = _editable_or_403(slug)
    form = AddPracticeForm()
    if not form.validate_on_submit():
        flash(_("Please name a practice."), "error")
        return redirect(url_for("collections.edit", slug=slug))
    practice = _find_practice(form.practice.data)
    if practice is None:
        flash(_("No practice found for “%(text)s”.", text=form.practice.data), "error")
    else:
        try:
            operations.add_practice(current_user, collection, practice)
            db.session.commit()
            flash(_("“%(title)s” added.", title=practice.title), "success")
        except operations.CollectionError:
            flash(_("“%(title)s” is already in the collection.", title=practice.title), "error")
    return redirect(url_for("collections.edit", slug=slug) + "#items")


@bp.post("/<slug>/practices/<action>")
@login_required
def change_item(slug: str, action: str) -> Response:
    collection = _editable_or_403(slug)
    form = ItemForm()
    if not form.validate_on_submit() or not str(form.practice_id.data).isdigit():
        abort(400)
    before = request.form.get("before", "")
    if action not in {"up", "down", "remove", "place"} or (
        action == "place" and not (before.isdigit() or before == "end")
    ):
        abort(400)
    practice_id = int(form.practice_id.data)
    try:
        if action == "remove":
            operations.remove_practice(current_user, collection, practice_id)
        elif action == "place":
            operations.place_practice(
                current_user, collection, practice_id, int(before) if before.isdigit() else None
            )
        else:
            operations.move_practice(current_user, collection, practice_id, -1 if action == "up" else 1)
        db.session.commit()
    except operations.CollectionError:
        abort(404)
    flash(_("Saved."), "success")
    return redirect(url_for("collections.edit", slug=slug) + f"#item-{practice_id}")


@bp.post("/<slug>/delete")
@login_required
def delete(slug: str) -> Response:
    collection = _editable_or_403(slug)
    if not DeleteForm().validate_on_submit():
        flash(_("Please confirm the deletion."), "error")
        return redirect(url_for("collections.edit", slug=slug))
    operations.delete_collection(current_user, collection)
    db.session.commit()
    flash(_("The collection was deleted."), "success")
    return redirect(url_for("collections.index"))


def _visible_or_404(slug: str) -> Collection:
    collection = get_collection(current_user, slug)
    if collection is None:
        abort(404)
    return collection


def _editable_or_403(slug: str) -> Collection:
    collection = _visible_or_404(slug)
    if not can(current_user, Action.MANAGE_COLLECTIONS, collection):
        abort(403)
    return collection


def _form(**kwargs: object) -> CollectionForm:
    form = CollectionForm(**kwargs)
    centres = stored.centres()
    if is_privileged(current_user):
        everyone = [SelectChoice(c.slug, c.name) for c in centres]
        form.centre.choices = [SelectChoice("", _("— none —")), *everyone]
    else:
        own = [c for c in centres if c.id == current_user.centre_id]
        form.centre.choices = [SelectChoice(c.slug, c.name) for c in own]
    for name, field in form.search_fields().items():
        field.choices = [SelectChoice(value, text) for value, text in _search_choices(name, centres)]
    return form


def _search_choices(name: str, centres: Sequence[Centre]) -> list[tuple[str, str]]:
    """The vocabulary a saved-search filter offers (the values of the ``/search`` facets)."""
    if name == "kind":
        return [(k.value, label(k)) for k in Kind]
    if name == "outcome":
        return [(r.value, label(r)) for r in Result]
    if name == "state":
        return [(s, GERMAN_STATES.get(s, s)) for s in sorted({c.state for c in centres})]
    if name == "tag":
        return [(t, t) for t in db.session.scalars(sa.select(Tag.name).order_by(Tag.name))]
    if name == "centre":
        return [(c.slug, c.name) for c in centres]
    return sorted(value_labels()[name].items())


def _saved_search(form: CollectionForm) -> SavedSearch | None:
    saved = SavedSearch.of(form.search_q.data, {n: f.data or [] for n, f in form.search_fields().items()})
    return None if saved.empty else saved


def _fill_saved_search(form: CollectionForm, saved: SavedSearch | None) -> None:
    form.search_q.data = saved.q if saved else ""
    for name, field in form.search_fields().items():
        field.data = list(saved.filters.get(name, [])) if saved else []


def _search_errors(form: CollectionForm, error: operations.InvalidSavedSearch) -> None:
    fields = form.search_fields()
    for name in error.problems:
        fields[name].errors = [*fields[name].errors, _("Unknown value – please choose from the list.")]


def _form_page(form: CollectionForm, collection: Collection | None) -> tuple[str, int] | str:
    items = collection_practices(current_user, collection, curating=True) if collection is not None else []
    status = 422 if form.errors else 200
    return (
        render_template(
            "collections/edit.html",
            form=form,
            collection=collection,
            items=items,
            add_form=AddPracticeForm(),
            item_form=ItemForm(),
            delete_form=DeleteForm(),
            appended_limit=APPENDED_LIMIT,
        ),
        status,
    )


def _data(form: CollectionForm) -> operations.CollectionData:
    return operations.CollectionData(
        title=form.title.data.strip(),
        slug=form.slug.data or COLLECTION_SLUGS.make(form.title.data),
        visibility=form.visibility.data,
        intro=form.intro.data or "",
        centre=form.centre.data or None,
    )


def _find_practice(text: str) -> Practice | None:
    """A practice the curator may see, by slug or exact title."""
    text = text.strip()
    stmt = sa.select(Practice).where(visible_clause(current_user))
    return db.session.scalars(stmt.where(sa.or_(Practice.slug == text, Practice.title == text))).first()


def _translate(error: operations.CollectionError) -> str:
    if "taken" in str(error):
        return _("This address is already used by another collection.")
    return str(error)
